package io.breachwatch.sim;

import io.breachwatch.schema.AccessEvent;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.NoSuchElementException;
import java.util.Spliterator;
import java.util.Spliterators;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;

/**
 * Seeded, deterministic CRM traffic with labelled breach scenarios, in timestamp order. Events are made one
 * simulated hour at a time, so millions of them stream in constant memory.
 *
 * <pre>{@code
 * var sim = new Simulator(SimConfig.of(42, 500, 3, 7));
 * sim.labels();                       // what was injected, where and when
 * sim.events().forEachRemaining(...); // or sim.stream()
 * }</pre>
 */
public final class Simulator {
    private static final Duration HOUR = Duration.ofHours(1);

    private final SimConfig config;
    private final Population population;
    private final Scenarios scenarios;
    private final BenignTraffic benign;

    public Simulator(SimConfig config) {
        this.config = config;
        this.population = new Population(config);
        this.scenarios = new Scenarios(config, population);
        this.benign = new BenignTraffic(config, population);
    }

    public SimConfig config() {
        return config;
    }

    /** The injected scenarios, in start order. */
    public List<ScenarioLabel> labels() {
        return scenarios.labels.stream().sorted(Comparator.comparing(ScenarioLabel::start)).toList();
    }

    /** Every simulated account. */
    public List<SimUser> users() {
        return population.users;
    }

    /** A fresh pass over all events, in timestamp order. */
    public Iterator<AccessEvent> events() {
        return new HourlyIterator();
    }

    public Stream<AccessEvent> stream() {
        return StreamSupport.stream(Spliterators.spliteratorUnknownSize(events(), Spliterator.ORDERED | Spliterator.NONNULL), false);
    }

    private final class HourlyIterator implements Iterator<AccessEvent> {
        private final List<AccessEvent> buffer = new ArrayList<>();
        private int position;
        private long hourIndex;
        private int nextScenarioEvent;
        private long sequence;

        @Override
        public boolean hasNext() {
            while (position >= buffer.size()) {
                var hourStart = config.start().plus(HOUR.multipliedBy(hourIndex));
                if (!hourStart.isBefore(config.end())) {
                    return false;
                }
                fill(hourStart);
            }
            return true;
        }

        @Override
        public AccessEvent next() {
            if (!hasNext()) {
                throw new NoSuchElementException();
            }
            return buffer.get(position++);
        }

        private void fill(Instant hourStart) {
            buffer.clear();
            position = 0;
            var hourEnd = hourStart.plus(HOUR);
            benign.hour(hourStart, hourIndex++, buffer);
            var injected = scenarios.events;
            while (nextScenarioEvent < injected.size() && injected.get(nextScenarioEvent).getTimestamp().isBefore(hourEnd)) {
                buffer.add(injected.get(nextScenarioEvent++));
            }
            buffer.removeIf(e -> !e.getTimestamp().isBefore(config.end()));
            buffer.sort(Comparator.comparing(AccessEvent::getTimestamp));
            for (int i = 0; i < buffer.size(); i++) {
                // a copy, so the scenario list is never mutated and every pass is identical
                var event = AccessEvent.newBuilder(buffer.get(i)).setEventId(String.format(Locale.ROOT, "ev-%010d", ++sequence)).build();
                buffer.set(i, event);
            }
        }
    }
}
