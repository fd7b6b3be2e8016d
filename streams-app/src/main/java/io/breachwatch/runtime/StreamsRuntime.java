package io.breachwatch.runtime;

import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.KafkaStreams.State;
import org.apache.kafka.streams.Topology;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * Owns one KafkaStreams instance: start order, failure handling, state, clean close. Used by {@code run},
 * {@code demo} and the integration tests.
 *
 * <p>Start order: log the topology, set the uncaught-exception handler ({@link ThreadFailurePolicy}) and the
 * state listener, then start. The caller opens HTTP after {@link #start()}. Readiness = RUNNING;
 * liveness = not ERROR, PENDING_ERROR or NOT_RUNNING. No {@code cleanUp()} on start: local state is reused.
 */
public final class StreamsRuntime implements AutoCloseable {
    public static final Duration DEFAULT_CLOSE_TIMEOUT = Duration.ofSeconds(30);
    private static final Logger log = LoggerFactory.getLogger(StreamsRuntime.class);

    private final Topology topology;
    private final KafkaStreams streams;
    private final ThreadFailurePolicy failurePolicy = new ThreadFailurePolicy();
    private final Object monitor = new Object();
    /** Tracked here, not read from KafkaStreams, so waiting never takes KafkaStreams' own lock. */
    private volatile State lastState = State.CREATED;

    public StreamsRuntime(Topology topology, Properties streamsProperties) {
        this.topology = topology;
        this.streams = new KafkaStreams(topology, streamsProperties);
    }

    public void start() {
        log.info("Topology:\n{}", topology.describe());
        streams.setUncaughtExceptionHandler(failurePolicy);
        streams.setStateListener(this::onStateChange);
        streams.start();
    }

    public State state() {
        return streams.state();
    }

    public KafkaStreams streams() {
        return streams;
    }

    public boolean isReady() {
        return streams.state() == State.RUNNING;
    }

    public boolean isAlive() {
        var s = streams.state();
        return s != State.ERROR && s != State.NOT_RUNNING && s != State.PENDING_ERROR;
    }

    /** True when the instance stopped on an error (a fatal thread failure or state ERROR), not by a close. */
    public boolean failed() {
        return failurePolicy.fatalError() != null || lastState == State.ERROR || lastState == State.PENDING_ERROR;
    }

    /** The fatal error that stopped the instance, when there was one. */
    public Optional<Throwable> failure() {
        return Optional.ofNullable(failurePolicy.fatalError());
    }

    /** Waits until the state satisfies {@code condition}; false on timeout. */
    public boolean awaitState(Predicate<State> condition, Duration timeout) throws InterruptedException {
        var deadline = System.nanoTime() + timeout.toNanos();
        synchronized (monitor) {
            while (!condition.test(lastState)) {
                var left = deadline - System.nanoTime();
                if (left <= 0) {
                    return false;
                }
                TimeUnit.NANOSECONDS.timedWait(monitor, left);
            }
            return true;
        }
    }

    /** Waits for RUNNING; false on timeout or when the instance stopped first. */
    public boolean awaitRunning(Duration timeout) throws InterruptedException {
        return awaitState(s -> s == State.RUNNING || isTerminal(s), timeout) && lastState == State.RUNNING;
    }

    /** Blocks until the instance has stopped (closed, or failed); then {@link #failed()} tells which. */
    public void awaitTermination() throws InterruptedException {
        while (!awaitState(StreamsRuntime::isTerminal, Duration.ofDays(1))) {
            // keep waiting: a service runs for longer than a day
        }
    }

    /** Closes within {@code timeout}; true when the instance shut down completely in time. Idempotent. */
    public boolean close(Duration timeout) {
        var closed = streams.close(timeout);
        if (!closed) {
            log.warn("Kafka Streams did not close within {}", timeout);
        }
        return closed;
    }

    @Override
    public void close() {
        close(DEFAULT_CLOSE_TIMEOUT);
    }

    static boolean isTerminal(State state) {
        return state == State.NOT_RUNNING || state == State.ERROR;
    }

    private void onStateChange(State newState, State oldState) {
        if (newState == State.ERROR) {
            log.error("Kafka Streams state {} -> ERROR: this instance has stopped processing", oldState);
        } else {
            log.info("Kafka Streams state {} -> {}", oldState, newState);
        }
        synchronized (monitor) {
            lastState = newState;
            monitor.notifyAll();
        }
    }
}
