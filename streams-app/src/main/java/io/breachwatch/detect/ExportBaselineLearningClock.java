package io.breachwatch.detect;

import org.apache.kafka.streams.state.KeyValueStore;

import java.time.Duration;

/**
 * When this task's data begins, for the learning period (store {@code export-baseline-learning}, one per task): an
 * event is in the learning period when it lies less than the period after that start. The start is the first event
 * the task sees; while the task has seen fewer than {@value #MIN_EVENTS} events, a gap of more than a quarter of the
 * period restarts it (a few stray old events, such as accounts' last uses months ago, are not where the live data
 * begins). After that the start is fixed for good: quiet nights, weekends or outages do not restart it. The start is
 * compared with each event's own time, never with the largest time seen, which may run ahead when a replay is
 * processed faster on some partitions than on others.
 */
final class ExportBaselineLearningClock {
    static final String SINCE = "since";
    static final String LAST = "last";
    static final String EVENTS = "events";
    static final int MIN_EVENTS = 20;

    private final KeyValueStore<String, Long> store;
    private final long periodMs;
    /** The start, once fixed. */
    private Long fixedSince;

    ExportBaselineLearningClock(KeyValueStore<String, Long> store, Duration period) {
        this.store = store;
        this.periodMs = period.toMillis();
    }

    /** Notes an event of this task at {@code timestamp}. */
    void observe(long timestamp) {
        if (periodMs == 0 || fixed() != null) {
            return;
        }
        var since = store.get(SINCE);
        var last = store.get(LAST);
        var events = store.get(EVENTS);
        if (since == null || timestamp - last > periodMs / 4) {
            since = timestamp;
            last = timestamp;
            events = 0L;
            store.put(SINCE, since);
        }
        store.put(LAST, Math.max(last, timestamp));
        store.put(EVENTS, events + 1);
    }

    /** Whether {@code timestamp} lies in the learning period. */
    boolean learning(long timestamp) {
        if (periodMs == 0) {
            return false;
        }
        var since = fixed();
        return since == null || timestamp < since + periodMs;
    }

    /** The start once {@value #MIN_EVENTS} events have followed it, else null. */
    private Long fixed() {
        if (fixedSince == null) {
            var events = store.get(EVENTS);
            if (events != null && events >= MIN_EVENTS) {
                fixedSince = store.get(SINCE);
            }
        }
        return fixedSince;
    }
}
