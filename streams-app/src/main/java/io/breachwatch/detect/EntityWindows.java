package io.breachwatch.detect;

import io.breachwatch.schema.AccessEvent;
import org.apache.kafka.common.errors.SerializationException;

import java.util.Arrays;
import java.util.NavigableMap;
import java.util.TreeMap;

/**
 * The value of a rule's window store ({@code <rule>-windows}, key entity, value these bytes): the entity's windows
 * that are still open or within retention, window start (epoch ms) -> {@link WindowAggregate}, oldest first. One
 * entry per entity instead of one per window: an event that falls into a dozen hopping windows costs one read and
 * one write, and the overlapping windows share their strings and hashes in the encoding ({@link CompactCodec.Tables}).
 *
 * <p>Format 2: version byte, the newest window start + 1 as a varint (0: no windows), then format 1's tables and
 * windows; the newest start up front lets a purge tell a silent entity without decoding its windows
 * ({@link #newestStart}). Format 1 (version byte, tables, windows), written before 2026-12-02, is still read.
 *
 * <p>Format 3 (from 2026-12-06): format 2 with a varint before each window's content, 0 when the content follows, k
 * when the window is the same object as the window k places before ({@link #add}: windows with the same content are
 * one object), whose content is then not written again (the writer writes 1 only: the windows of one object are next
 * to each other). Formats 1 and 2 are still read; a version before this one cannot read format 3, so going back to
 * it needs a fresh state.
 */
public final class EntityWindows {
    private static final byte FORMAT_1 = 1;
    private static final byte FORMAT_3 = 3;
    /** {@link #newestStart} of an entity without windows. */
    public static final long NONE = Long.MIN_VALUE;

    private EntityWindows() {
    }

    /**
     * Adds an event to the windows starting at {@code first}, {@code first + advance}, ... up to {@code last}, making
     * those that do not exist yet. Windows with the same content are one object: the windows an event opens are
     * identical (and a user with an event every few hours has a dozen such windows at a time), so the event is added
     * once per object, not once per window, and the encoding writes each object once. An object that windows outside
     * the range share too is copied first, so every window's content is exactly what it would be on its own.
     * The windows of one object are next to each other: an event's range is contiguous, and a window before it and
     * one after it never hold the same events (no event is in both), so a range never falls inside one object's run.
     */
    static void add(NavigableMap<Long, WindowAggregate> windows, long first, long last, long advance,
                    AccessEvent event, String distinctValue) {
        WindowAggregate opened = null;
        // what each object in the range became with this event, before[i] -> after[i]: a handful, compared by identity
        var before = new WindowAggregate[4];
        var after = new WindowAggregate[4];
        var changed = 0;
        for (var start = first; start <= last; start += advance) {
            var current = windows.get(start);
            if (current == null) {
                if (opened == null) {
                    opened = new WindowAggregate().add(event, distinctValue);
                }
                windows.put(start, opened);
                continue;
            }
            var i = 0;
            while (i < changed && before[i] != current) {
                i++;
            }
            if (i == changed) {
                if (changed == before.length) {
                    before = Arrays.copyOf(before, changed * 2);
                    after = Arrays.copyOf(after, changed * 2);
                }
                before[i] = current;
                after[i] = (sharedOutside(windows, current, first, last) ? current.copy() : current).add(event, distinctValue);
                changed++;
            }
            windows.put(start, after[i]);
        }
    }

    /**
     * Whether a window outside {@code [first, last]} is {@code aggregate} too. The windows of one object are next to
     * each other, so only the window just before the range and the one just after it can be.
     */
    private static boolean sharedOutside(NavigableMap<Long, WindowAggregate> windows, WindowAggregate aggregate,
                                         long first, long last) {
        var before = windows.lowerEntry(first);
        var after = windows.higherEntry(last);
        return before != null && before.getValue() == aggregate || after != null && after.getValue() == aggregate;
    }

    public static byte[] write(NavigableMap<Long, WindowAggregate> windows) {
        return new Encoder().encode(windows);
    }

    /**
     * Encodes windows with the same buffers and tables from one entity to the next: an event rewrites all its
     * entity's windows, and fresh buffers for each were a tenth of what replay allocated. One per processor: not for
     * concurrent use.
     */
    public static final class Encoder {
        /** What the buffers keep between entities: larger ones (a scraper's windows) are let go after use. */
        private static final int KEEP_BYTES = 64 * 1024;
        private static final int KEEP_ENTRIES = 4096;
        private final CompactCodec.Tables tables = new CompactCodec.Tables();
        private final CompactWriter body = new CompactWriter(KEEP_BYTES / 4);
        private final CompactWriter out = new CompactWriter(KEEP_BYTES / 4);

        public byte[] encode(NavigableMap<Long, WindowAggregate> windows) {
            try {
                body.writeVarLong(windows.size());
                WindowAggregate previous = null;
                for (var w : windows.entrySet()) {
                    body.writeVarLong(w.getKey());
                    var aggregate = w.getValue();
                    // windows that are one object are next to each other (add): 1 refers to the window before
                    body.writeVarLong(aggregate == previous ? 1 : 0);
                    if (aggregate != previous) {
                        aggregate.encode(body, tables);
                    }
                    previous = aggregate;
                }
                out.writeByte(FORMAT_3);
                out.writeVarLong(windows.isEmpty() ? 0 : windows.lastKey() + 1);
                tables.writeTables(out);
                out.write(body);
                return out.toByteArray();
            } finally {
                tables.reset(KEEP_ENTRIES);
                body.reset(KEEP_BYTES);
                out.reset(KEEP_BYTES);
            }
        }
    }

    public static NavigableMap<Long, WindowAggregate> read(byte[] data) {
        var in = open(data);
        try {
            if (data[0] != FORMAT_1) {
                in.readVarLong();
            }
            var shared = data[0] == FORMAT_3;
            var tables = CompactCodec.Tables.readTables(in);
            var n = in.readCount();
            var windows = new TreeMap<Long, WindowAggregate>();
            var read = new WindowAggregate[n];
            for (int i = 0; i < n; i++) {
                var start = in.readVarLong();
                var same = shared ? in.readVarLong() : 0;
                if (same < 0 || same > i) {
                    throw new IllegalStateException("window " + i + " refers to the window " + same + " places before it");
                }
                read[i] = same == 0 ? WindowAggregate.decode(in, tables) : read[i - (int) same];
                windows.put(start, read[i]);
            }
            return windows;
        } catch (RuntimeException e) {
            throw unreadable(data, e);
        }
    }

    /** Start of the entity's newest window, {@link #NONE} when it has none; decodes nothing but that (formats 2 and 3). */
    public static long newestStart(byte[] data) {
        var in = open(data);
        if (data[0] == FORMAT_1) {
            var windows = read(data);
            return windows.isEmpty() ? NONE : windows.lastKey();
        }
        try {
            var stored = in.readVarLong();
            return stored == 0 ? NONE : stored - 1;
        } catch (RuntimeException e) {
            throw unreadable(data, e);
        }
    }

    private static SerializationException unreadable(byte[] data, RuntimeException cause) {
        return new SerializationException("Cannot read entity windows (" + data.length + " bytes)", cause);
    }

    private static CompactReader open(byte[] data) {
        if (data.length == 0 || data[0] < FORMAT_1 || data[0] > FORMAT_3) {
            throw new SerializationException("Unknown entity windows format " + (data.length == 0 ? "(empty value)" : "version " + data[0]));
        }
        return new CompactReader(data, 1);
    }
}
