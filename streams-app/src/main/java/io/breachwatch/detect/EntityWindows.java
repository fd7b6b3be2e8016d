package io.breachwatch.detect;

import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;

import java.util.NavigableMap;
import java.util.TreeMap;

/**
 * The value of a rule's window store ({@code <rule>-windows}, key entity): the entity's windows that are still
 * open or within retention, window start (epoch ms) -> {@link WindowAggregate}, oldest first. One entry per entity
 * instead of one per window: an event that falls into a dozen hopping windows costs one read and one write, and
 * the overlapping windows share their strings and hashes in the encoding ({@link CompactCodec.Tables}).
 */
public final class EntityWindows {
    private static final byte FORMAT_VERSION = 1;

    public static final Serde<NavigableMap<Long, WindowAggregate>> SERDE = Serdes.serdeFrom(EntityWindows::write, EntityWindows::read);

    private EntityWindows() {
    }

    private static byte[] write(String topic, NavigableMap<Long, WindowAggregate> windows) {
        if (windows == null) {
            return null;
        }
        var tables = new CompactCodec.Tables();
        var body = new CompactWriter(256 * windows.size());
        body.writeVarLong(windows.size());
        for (var w : windows.entrySet()) {
            body.writeVarLong(w.getKey());
            w.getValue().encode(body, tables);
        }
        var out = new CompactWriter(body.size() + 512);
        out.writeByte(FORMAT_VERSION);
        tables.writeTables(out);
        out.write(body);
        return out.toByteArray();
    }

    private static NavigableMap<Long, WindowAggregate> read(String topic, byte[] data) {
        if (data == null) {
            return null;
        }
        if (data.length == 0 || data[0] != FORMAT_VERSION) {
            throw new SerializationException("Unknown entity windows format " + (data.length == 0 ? "(empty value)" : "version " + data[0])
                    + " (store of topic " + topic + ")");
        }
        try {
            var in = new CompactReader(data, 1);
            var tables = CompactCodec.Tables.readTables(in);
            var n = in.readCount();
            var windows = new TreeMap<Long, WindowAggregate>();
            for (int i = 0; i < n; i++) {
                var start = in.readVarLong();
                windows.put(start, WindowAggregate.decode(in, tables));
            }
            return windows;
        } catch (RuntimeException e) {
            throw new SerializationException("Cannot read entity windows (" + data.length + " bytes, store of topic " + topic + ")", e);
        }
    }
}
