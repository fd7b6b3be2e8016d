package io.breachwatch.detect;

import org.apache.kafka.streams.state.KeyValueStore;

import java.time.Duration;

/**
 * When this task's data begins, for the learning period (store {@code export-baseline-learning}, one per task).
 * The clock starts at the first event the task sees. While it has seen fewer than {@value #MIN_EVENTS} events, a
 * gap of more than a quarter of the period restarts it: a few stray old events (accounts' last uses months ago)
 * are not where the live data begins. The period is over once it has passed with at least {@value #MIN_EVENTS}
 * events, for good: later gaps (a quiet night, a weekend, an outage) do not restart it.
 */
final class ExportBaselineLearningClock {
    static final String SINCE = "since";
    static final String LAST = "last";
    static final String EVENTS = "events";
    static final String LEARNED = "learned";
    static final int MIN_EVENTS = 20;

    private final KeyValueStore<String, Long> store;
    private final long periodMs;
    /** Once true, for good. */
    private boolean learned;

    ExportBaselineLearningClock(KeyValueStore<String, Long> store, Duration period) {
        this.store = store;
        this.periodMs = period.toMillis();
    }

    /** Notes an event of this task at {@code timestamp}. */
    void observe(long timestamp) {
        if (learned()) {
            return;
        }
        var since = store.get(SINCE);
        var last = store.get(LAST);
        var events = store.get(EVENTS);
        if (since == null || (events < MIN_EVENTS && timestamp - last > periodMs / 4)) {
            since = timestamp;
            last = timestamp;
            events = 0L;
            store.put(SINCE, since);
        }
        last = Math.max(last, timestamp);
        store.put(LAST, last);
        store.put(EVENTS, ++events);
        if (events >= MIN_EVENTS && last >= since + periodMs) {
            store.put(LEARNED, last);
        }
    }

    /** Whether {@code timestamp} lies in the learning period. */
    boolean learning(long timestamp) {
        if (learned()) {
            return false;
        }
        var since = store.get(SINCE);
        return since == null || timestamp < since + periodMs || store.get(EVENTS) < MIN_EVENTS;
    }

    private boolean learned() {
        if (!learned) {
            learned = periodMs == 0 || store.get(LEARNED) != null;
        }
        return learned;
    }
}
