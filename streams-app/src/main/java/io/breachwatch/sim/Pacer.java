package io.breachwatch.sim;

import io.breachwatch.schema.AccessEvent;

import java.time.Duration;
import java.time.Instant;
import java.util.Iterator;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * Replays events in accelerated real time for the live demo: at speed 720, one simulated hour takes 5 seconds.
 * The event timestamps stay as simulated; only their arrival is paced.
 */
public final class Pacer implements Iterator<AccessEvent> {
    private final Iterator<AccessEvent> events;
    private final double speed;
    private final Instant simStart;
    private final long wallStartNanos;
    private final BooleanSupplier stopped;

    public Pacer(Iterator<AccessEvent> events, Instant simStart, double speed, BooleanSupplier stopped) {
        if (!(speed > 0) || Double.isInfinite(speed)) {
            throw new IllegalArgumentException("speed must be a number > 0, was " + speed);
        }
        this.events = events;
        this.speed = speed;
        this.simStart = simStart;
        this.wallStartNanos = System.nanoTime();
        this.stopped = stopped;
    }

    @Override
    public boolean hasNext() {
        return !stopped.getAsBoolean() && events.hasNext();
    }

    /** The next event, once its (scaled) time has come; returns early when stopped. */
    @Override
    public AccessEvent next() {
        var event = events.next();
        long dueNanos = wallStartNanos + (long) (Duration.between(simStart, event.getTimestamp()).toNanos() / speed);
        for (long wait = dueNanos - System.nanoTime(); wait > 0 && !stopped.getAsBoolean(); wait = dueNanos - System.nanoTime()) {
            try {
                TimeUnit.NANOSECONDS.sleep(Math.min(wait, TimeUnit.MILLISECONDS.toNanos(100)));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        return event;
    }
}
