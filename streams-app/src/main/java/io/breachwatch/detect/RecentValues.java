package io.breachwatch.detect;

import java.util.LinkedHashMap;
import java.util.NavigableMap;
import java.util.function.ToLongFunction;

/**
 * The values a processor wrote last to its own key-value store, as the objects it wrote: a key that is active again
 * (a user in the middle of a burst) is not decoded from the store on every event, which for a scraper means
 * thousands of distinct hashes in each of a dozen windows, and for an open incident a full Avro record per finding.
 * The store stays the truth: every change is still put there at once, anything not held here is read from it, and a
 * key is forgotten before its value is changed, so a failure half-way leaves nothing stale here. Bounded by an
 * estimate of the bytes held, least recently used out first; a value larger than a quarter of the budget is not held.
 *
 * <p>Only the processor that owns the store may use it (one instance per task): nothing else writes that store.
 * Make it anew in the processor's {@code init}: after an aborted transaction (exactly-once) Kafka Streams restores
 * the store to its last commit and inits the same processor instance again, so anything held from before is stale.
 * Values held must not be changed in place after {@link #put} unless they are put again.
 */
public final class RecentValues<V> {
    /** Per processor (one per rule and task): 1 MiB x 12 processors x 4 tasks is at most 48 MiB of heap. */
    public static final long DEFAULT_BUDGET_BYTES = 1L << 20;
    private static final long WINDOW_BYTES = 256;

    private record Held<V>(V value, long bytes) {
    }

    private final long budget;
    private final ToLongFunction<V> estimate;
    private final LinkedHashMap<String, Held<V>> held = new LinkedHashMap<>(64, 0.75f, true);
    private long bytes;

    public RecentValues(long budgetBytes, ToLongFunction<V> estimate) {
        this.budget = budgetBytes;
        this.estimate = estimate;
    }

    /**
     * For the windows of an entity: a fixed cost per window plus its distinct hashes, once per object (windows with
     * the same content are one object, and such windows are next to each other).
     */
    static RecentValues<NavigableMap<Long, WindowAggregate>> windows(long budgetBytes) {
        return new RecentValues<>(budgetBytes, windows -> {
            long size = 0;
            WindowAggregate previous = null;
            for (var window : windows.values()) {
                if (window != previous) {
                    size += WINDOW_BYTES + Long.BYTES * window.distinctCount();
                }
                previous = window;
            }
            return size;
        });
    }

    /** The value last written for {@code key}, or null when not held. */
    public V get(String key) {
        var h = held.get(key);
        return h == null ? null : h.value();
    }

    /** Holds what was just written to the store for {@code key}. */
    public void put(String key, V value) {
        forget(key);
        long size = estimate.applyAsLong(value);
        if (size > budget / 4) {
            return;
        }
        held.put(key, new Held<>(value, size));
        bytes += size;
        for (var eldest = held.entrySet().iterator(); bytes > budget && eldest.hasNext(); ) {
            bytes -= eldest.next().getValue().bytes();
            eldest.remove();
        }
    }

    public void forget(String key) {
        var h = held.remove(key);
        if (h != null) {
            bytes -= h.bytes();
        }
    }

    int size() {
        return held.size();
    }

    long bytes() {
        return bytes;
    }
}
