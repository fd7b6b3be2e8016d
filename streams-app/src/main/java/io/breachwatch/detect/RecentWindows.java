package io.breachwatch.detect;

import java.util.LinkedHashMap;
import java.util.NavigableMap;

/**
 * The windows of the entities a {@link WindowedDetection} processor wrote last, as the objects it wrote: an entity
 * that is active again (a user in the middle of a burst) is not decoded from the store on every event, which for a
 * scraper means thousands of distinct hashes in each of a dozen windows. The store stays the truth: every change is
 * still put there at once, and anything not held here is read from it. Bounded by an estimate of the bytes held,
 * least recently used first out; an entity larger than a quarter of the budget is not held.
 *
 * <p>Only the processor that owns the store may use it (one per task): nothing else writes that store.
 */
final class RecentWindows {
    /** Per processor, i.e. per windowed rule and task: 1 MiB x 8 rules x 4 tasks at most 32 MiB of heap. */
    static final long DEFAULT_BUDGET_BYTES = 1L << 20;
    private static final long WINDOW_BYTES = 256;

    private record Held(NavigableMap<Long, WindowAggregate> windows, long bytes) {
    }

    private final long budget;
    private final LinkedHashMap<String, Held> held = new LinkedHashMap<>(64, 0.75f, true);
    private long bytes;

    RecentWindows(long budgetBytes) {
        this.budget = budgetBytes;
    }

    /** The windows last written for {@code entity}, or null when not held. */
    NavigableMap<Long, WindowAggregate> get(String entity) {
        var h = held.get(entity);
        return h == null ? null : h.windows();
    }

    /** Holds what was just written to the store for {@code entity}. */
    void put(String entity, NavigableMap<Long, WindowAggregate> windows) {
        forget(entity);
        long size = estimate(windows);
        if (size > budget / 4) {
            return;
        }
        held.put(entity, new Held(windows, size));
        bytes += size;
        for (var eldest = held.entrySet().iterator(); bytes > budget && eldest.hasNext(); ) {
            bytes -= eldest.next().getValue().bytes();
            eldest.remove();
        }
    }

    void forget(String entity) {
        var h = held.remove(entity);
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

    private static long estimate(NavigableMap<Long, WindowAggregate> windows) {
        long size = 0;
        for (var window : windows.values()) {
            size += WINDOW_BYTES + Long.BYTES * window.distinctCount();
        }
        return size;
    }
}
