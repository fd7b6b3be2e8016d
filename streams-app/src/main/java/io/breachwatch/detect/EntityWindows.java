package io.breachwatch.detect;

import org.apache.kafka.common.errors.SerializationException;

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
 */
public final class EntityWindows {
    private static final byte FORMAT_1 = 1;
    private static final byte FORMAT_2 = 2;
    /** {@link #newestStart} of an entity without windows. */
    public static final long NONE = Long.MIN_VALUE;

    private EntityWindows() {
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
                for (var w : windows.entrySet()) {
                    body.writeVarLong(w.getKey());
                    w.getValue().encode(body, tables);
                }
                out.writeByte(FORMAT_2);
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
            if (data[0] == FORMAT_2) {
                in.readVarLong();
            }
            var tables = CompactCodec.Tables.readTables(in);
            var n = in.readCount();
            var windows = new TreeMap<Long, WindowAggregate>();
            for (int i = 0; i < n; i++) {
                var start = in.readVarLong();
                windows.put(start, WindowAggregate.decode(in, tables));
            }
            return windows;
        } catch (RuntimeException e) {
            throw unreadable(data, e);
        }
    }

    /** Start of the entity's newest window, {@link #NONE} when it has none; decodes nothing but that (format 2). */
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
        if (data.length == 0 || (data[0] != FORMAT_1 && data[0] != FORMAT_2)) {
            throw new SerializationException("Unknown entity windows format " + (data.length == 0 ? "(empty value)" : "version " + data[0]));
        }
        return new CompactReader(data, 1);
    }
}
