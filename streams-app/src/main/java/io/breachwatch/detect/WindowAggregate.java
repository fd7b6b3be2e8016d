package io.breachwatch.detect;

import io.breachwatch.schema.AccessEvent;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

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
    private static final long[] NO_HASHES = new long[0];
    /** Version 3: compact encoding; versions 1 (no role) and 2 are still read. */
    private static final byte FORMAT_VERSION = 3;

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
    /** The distinct hashes, sorted, in {@code distinct[0, distinctSize)}: no boxing, cheap to encode. */
    private long[] distinct = NO_HASHES;
    private int distinctSize;
    private boolean distinctSaturated;
    private final SortedNames fields;
    private final SortedNames destinationCountries;

    public WindowAggregate() {
        fields = new SortedNames();
        destinationCountries = new SortedNames();
    }

    /** A copy of {@code other} that shares nothing mutable with it: either may then take events alone. */
    private WindowAggregate(WindowAggregate other) {
        tenantId = other.tenantId;
        userId = other.userId;
        sourceIp = other.sourceIp;
        userRole = other.userRole;
        eventCount = other.eventCount;
        recordCount = other.recordCount;
        firstSeen = other.firstSeen;
        lastSeen = other.lastSeen;
        lastEventTime = other.lastEventTime;
        evidence.addAll(other.evidence);
        distinct = other.distinctSize == 0 ? NO_HASHES : Arrays.copyOf(other.distinct, other.distinctSize);
        distinctSize = other.distinctSize;
        distinctSaturated = other.distinctSaturated;
        fields = new SortedNames(other.fields);
        destinationCountries = new SortedNames(other.destinationCountries);
    }

    /** A copy that shares nothing mutable with this one. */
    public WindowAggregate copy() {
        return new WindowAggregate(this);
    }

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
        if (distinctValue != null && !addHash(hash64(distinctValue))) {
            distinctSaturated = true;
        }
        for (var field : event.getFields()) {
            addCapped(fields, field);
        }
        if (event.getDestinationCountry() != null) {
            addCapped(destinationCountries, event.getDestinationCountry());
        }
        return this;
    }

    private static void addCapped(Set<String> target, String value) {
        if (target.size() < MAX_NAMES) {
            target.add(value);
        }
    }

    /** Adds a distinct hash; false when it is new but the set is full. */
    private boolean addHash(long hash) {
        var at = Arrays.binarySearch(distinct, 0, distinctSize, hash);
        if (at >= 0) {
            return true;
        }
        if (distinctSize >= MAX_DISTINCT) {
            return false;
        }
        if (distinctSize == distinct.length) {
            distinct = Arrays.copyOf(distinct, Math.min(MAX_DISTINCT, Math.max(8, distinctSize * 2)));
        }
        var insert = -at - 1;
        System.arraycopy(distinct, insert, distinct, insert + 1, distinctSize - insert);
        distinct[insert] = hash;
        distinctSize++;
        return true;
    }

    /**
     * FNV-1a, 64 bit, over the value's UTF-8 bytes: collisions among 10,000 values are vanishingly rare, and no raw
     * id is stored. ASCII (ids) is hashed from the chars without encoding the string: a copy per event and window.
     * Also the latency bench's key hash ({@code SendTimes}), which mixes it further.
     */
    public static long hash64(String value) {
        var h = 0xcbf29ce484222325L;
        for (int i = 0; i < value.length(); i++) {
            var c = value.charAt(i);
            if (c >= 0x80) {
                return hash64(h, value.substring(i).getBytes(StandardCharsets.UTF_8));
            }
            h = (h ^ c) * 0x100000001b3L;
        }
        return h;
    }

    private static long hash64(long h, byte[] utf8) {
        for (var b : utf8) {
            h = (h ^ (b & 0xff)) * 0x100000001b3L;
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
        out.put("distinct_count", (long) distinctSize);
        out.put("distinct_is_lower_bound", distinctSaturated);
        out.put("first_seen", java.time.Instant.ofEpochMilli(firstSeen));
        out.put("last_seen", java.time.Instant.ofEpochMilli(lastSeen));
        out.put("fields", List.copyOf(fields));
        out.put("destination_countries", List.copyOf(destinationCountries));
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
    public long distinctCount() { return distinctSize; }
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
    // Version 3: varints, UTF-8 strings with a varint length (0 = null), the distinct hashes as one sorted block.
    // The aggregate is read and rewritten on every update of its window, so its encoding must cost little.

    private static byte[] write(String topic, WindowAggregate a) {
        if (a == null) {
            return null;
        }
        var out = new CompactWriter(48 + 8 * a.distinctSize + 16 * a.evidence.size());
        out.writeByte(FORMAT_VERSION);
        a.encode(out, CompactCodec.INLINE);
        return out.toByteArray();
    }

    private static WindowAggregate read(String topic, byte[] data) {
        if (data == null) {
            return null;
        }
        if (data.length == 0) {
            throw new SerializationException("Cannot read window aggregate (0 bytes, store of topic " + topic + ")");
        }
        var version = data[0];
        if (version == 1 || version == 2) {
            return readLegacy(topic, data);
        }
        if (version != FORMAT_VERSION) {
            throw new SerializationException("Unknown window aggregate format version " + version + " (store of topic " + topic + ")");
        }
        try {
            return decode(new CompactReader(data, 1), CompactCodec.INLINE);
        } catch (RuntimeException e) {
            throw new SerializationException("Cannot read window aggregate (" + data.length + " bytes, store of topic " + topic + ")", e);
        }
    }

    /** Writes the fields in order; strings and hashes as {@code codec} says (inline, or references to shared tables). */
    void encode(CompactWriter out, CompactCodec codec) {
        codec.writeString(out, tenantId);
        codec.writeString(out, userId);
        codec.writeString(out, sourceIp);
        codec.writeString(out, userRole);
        out.writeVarLong(eventCount);
        out.writeVarLong(recordCount);
        out.writeVarLong(firstSeen);
        out.writeVarLong(lastSeen);
        out.writeVarLong(lastEventTime);
        codec.writeStrings(out, evidence);
        codec.writeHashes(out, distinct, distinctSize);
        out.writeByte(distinctSaturated ? 1 : 0);
        codec.writeStrings(out, fields);
        codec.writeStrings(out, destinationCountries);
    }

    /** Reads what {@link #encode} wrote with the same kind of codec. */
    static WindowAggregate decode(CompactReader in, CompactCodec codec) {
        var a = new WindowAggregate();
        a.tenantId = codec.readString(in);
        a.userId = codec.readString(in);
        a.sourceIp = codec.readString(in);
        a.userRole = codec.readString(in);
        a.eventCount = in.readVarLong();
        a.recordCount = in.readVarLong();
        a.firstSeen = in.readVarLong();
        a.lastSeen = in.readVarLong();
        a.lastEventTime = in.readVarLong();
        codec.readStrings(in, a.evidence);
        a.distinct = codec.readHashes(in);
        a.distinctSize = a.distinct.length;
        a.distinctSaturated = in.readByte() != 0;
        codec.readStrings(in, a.fields);
        codec.readStrings(in, a.destinationCountries);
        return a;
    }

    /** Versions 1 and 2 (fixed-width fields, modified UTF-8): state written before version 3 is still read. */
    private static WindowAggregate readLegacy(String topic, byte[] data) {
        try {
            var in = new StateInput(data);
            var version = in.readByte();
            var a = new WindowAggregate();
            a.tenantId = KeyedStateDetection.readNullable(in);
            a.userId = KeyedStateDetection.readNullable(in);
            a.sourceIp = KeyedStateDetection.readNullable(in);
            a.eventCount = in.readLong();
            a.recordCount = in.readLong();
            a.firstSeen = in.readLong();
            a.lastSeen = in.readLong();
            a.lastEventTime = in.readLong();
            KeyedStateDetection.readStrings(in, a.evidence);
            var n = in.readInt();
            for (int i = 0; i < n; i++) {
                a.addHash(in.readLong());
            }
            a.distinctSaturated = in.readBoolean();
            KeyedStateDetection.readStrings(in, a.fields);
            KeyedStateDetection.readStrings(in, a.destinationCountries);
            if (version >= 2) {
                a.userRole = KeyedStateDetection.readNullable(in);
            }
            return a;
        } catch (IOException e) {
            throw new SerializationException("Cannot read window aggregate (" + data.length + " bytes, store of topic " + topic + ")", e);
        }
    }

}
