package io.breachwatch.detect;

import io.breachwatch.schema.AccessEvent;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * What one window knows about one entity: counts, the time span, a capped sample of evidence event ids, a capped
 * set of distinct values (64-bit hashes, so the store holds no raw customer or user ids) and the field names and
 * destination countries seen. Mutable on purpose: the window aggregator reads it from the store, adds one event
 * and writes it back.
 */
public final class WindowAggregate {
    /** Evidence event ids kept per window (the earliest ones). */
    public static final int MAX_EVIDENCE = 20;
    /** Distinct values counted exactly up to this many; beyond it the count is a lower bound. */
    public static final int MAX_DISTINCT = 10_000;
    static final int MAX_NAMES = 64;
    /** Version 2 added the user's role; version 1 state is still read (role unknown). */
    private static final byte FORMAT_VERSION = 2;

    public static final Serde<WindowAggregate> SERDE = Serdes.serdeFrom(WindowAggregate::write, WindowAggregate::read);

    private String tenantId;
    private String userId;
    private String sourceIp;
    private String userRole;
    private long eventCount;
    private long recordCount;
    private long firstSeen = Long.MAX_VALUE;
    private long lastSeen = Long.MIN_VALUE;
    private long lastEventTime;
    private final List<String> evidence = new ArrayList<>();
    private final Set<Long> distinct = new LinkedHashSet<>();
    private boolean distinctSaturated;
    private final Set<String> fields = new TreeSet<>();
    private final Set<String> destinationCountries = new TreeSet<>();

    /** Adds one event; {@code distinctValue} may be null (nothing to count as distinct). */
    public WindowAggregate add(AccessEvent event, String distinctValue) {
        var ts = event.getTimestamp().toEpochMilli();
        if (eventCount == 0) {
            tenantId = event.getTenantId();
            userId = event.getUserId();
            sourceIp = event.getSourceIp();
        }
        if (event.getUserRole() != null) {
            userRole = event.getUserRole();
        }
        eventCount++;
        recordCount += event.getRecordCount();
        firstSeen = Math.min(firstSeen, ts);
        lastSeen = Math.max(lastSeen, ts);
        lastEventTime = ts;
        if (evidence.size() < MAX_EVIDENCE) {
            evidence.add(event.getEventId());
        }
        if (distinctValue != null) {
            if (distinct.size() < MAX_DISTINCT) {
                distinct.add(hash64(distinctValue));
            } else if (!distinct.contains(hash64(distinctValue))) {
                distinctSaturated = true;
            }
        }
        addCapped(fields, event.getFields(), MAX_NAMES);
        if (event.getDestinationCountry() != null) {
            addCapped(destinationCountries, List.of(event.getDestinationCountry()), MAX_NAMES);
        }
        return this;
    }

    private static void addCapped(Set<String> target, Collection<String> values, int cap) {
        for (var v : values) {
            if (target.size() >= cap) {
                return;
            }
            target.add(v);
        }
    }

    /** FNV-1a, 64 bit: collisions among 10,000 values are vanishingly rare, and no raw id is stored. */
    static long hash64(String value) {
        var h = 0xcbf29ce484222325L;
        for (var b : value.getBytes(StandardCharsets.UTF_8)) {
            h ^= b & 0xff;
            h *= 0x100000001b3L;
        }
        return h;
    }

    /**
     * What the window holds, for the HTTP API's "why did this fire" view: counts, times, field names, destination
     * countries and evidence event ids (no user, customer or IP values: the key already names the actor).
     */
    public Map<String, Object> explain() {
        var out = new LinkedHashMap<String, Object>();
        out.put("event_count", eventCount);
        out.put("record_count", recordCount);
        out.put("distinct_count", (long) distinct.size());
        out.put("distinct_is_lower_bound", distinctSaturated);
        out.put("first_seen", java.time.Instant.ofEpochMilli(firstSeen));
        out.put("last_seen", java.time.Instant.ofEpochMilli(lastSeen));
        out.put("fields", List.copyOf(new java.util.TreeSet<>(fields)));
        out.put("destination_countries", List.copyOf(new java.util.TreeSet<>(destinationCountries)));
        out.put("evidence_event_ids", evidence());
        return out;
    }

    public String tenantId() { return tenantId; }
    public String userId() { return userId; }
    public String sourceIp() { return sourceIp; }
    /** The role of the latest event that named one, or null. */
    public String userRole() { return userRole; }
    public long eventCount() { return eventCount; }
    public long recordCount() { return recordCount; }
    public long distinctCount() { return distinct.size(); }
    /** True when more distinct values arrived than {@link #MAX_DISTINCT}: {@link #distinctCount()} is then a lower bound. */
    public boolean distinctSaturated() { return distinctSaturated; }
    public long firstSeen() { return firstSeen; }
    public long lastSeen() { return lastSeen; }
    /** Timestamp of the event added last: the one that triggered the current update. */
    public long lastEventTime() { return lastEventTime; }
    public List<String> evidence() { return List.copyOf(evidence); }
    public Set<String> fields() { return Set.copyOf(fields); }
    public Set<String> destinationCountries() { return Set.copyOf(destinationCountries); }

    // ---- serde: a version byte, then the fields in order ----

    private static byte[] write(String topic, WindowAggregate a) {
        if (a == null) {
            return null;
        }
        var bytes = new ByteArrayOutputStream(64 + 8 * a.distinct.size() + 24 * a.evidence.size());
        try (var out = new DataOutputStream(bytes)) {
            out.writeByte(FORMAT_VERSION);
            writeNullable(out, a.tenantId);
            writeNullable(out, a.userId);
            writeNullable(out, a.sourceIp);
            out.writeLong(a.eventCount);
            out.writeLong(a.recordCount);
            out.writeLong(a.firstSeen);
            out.writeLong(a.lastSeen);
            out.writeLong(a.lastEventTime);
            writeStrings(out, a.evidence);
            out.writeInt(a.distinct.size());
            for (var h : a.distinct) {
                out.writeLong(h);
            }
            out.writeBoolean(a.distinctSaturated);
            writeStrings(out, a.fields);
            writeStrings(out, a.destinationCountries);
            writeNullable(out, a.userRole);
        } catch (IOException e) {
            throw new SerializationException("Cannot write window aggregate", e);
        }
        return bytes.toByteArray();
    }

    private static WindowAggregate read(String topic, byte[] data) {
        if (data == null) {
            return null;
        }
        try (var in = new DataInputStream(new ByteArrayInputStream(data))) {
            var version = in.readByte();
            if (version != 1 && version != FORMAT_VERSION) {
                throw new SerializationException("Unknown window aggregate format version " + version + " (store of topic " + topic + ")");
            }
            var a = new WindowAggregate();
            a.tenantId = readNullable(in);
            a.userId = readNullable(in);
            a.sourceIp = readNullable(in);
            a.eventCount = in.readLong();
            a.recordCount = in.readLong();
            a.firstSeen = in.readLong();
            a.lastSeen = in.readLong();
            a.lastEventTime = in.readLong();
            readStrings(in, a.evidence);
            var n = in.readInt();
            for (int i = 0; i < n; i++) {
                a.distinct.add(in.readLong());
            }
            a.distinctSaturated = in.readBoolean();
            readStrings(in, a.fields);
            readStrings(in, a.destinationCountries);
            if (version >= 2) {
                a.userRole = readNullable(in);
            }
            return a;
        } catch (IOException e) {
            throw new SerializationException("Cannot read window aggregate (" + data.length + " bytes, store of topic " + topic + ")", e);
        }
    }

    private static void writeNullable(DataOutputStream out, String s) throws IOException {
        out.writeBoolean(s != null);
        if (s != null) {
            out.writeUTF(s);
        }
    }

    private static String readNullable(DataInputStream in) throws IOException {
        return in.readBoolean() ? in.readUTF() : null;
    }

    private static void writeStrings(DataOutputStream out, Collection<String> values) throws IOException {
        out.writeInt(values.size());
        for (var v : values) {
            out.writeUTF(v);
        }
    }

    private static void readStrings(DataInputStream in, Collection<String> target) throws IOException {
        var n = in.readInt();
        for (int i = 0; i < n; i++) {
            target.add(in.readUTF());
        }
    }
}
