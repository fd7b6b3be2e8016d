package io.breachwatch.bench;

import io.breachwatch.embedded.AvroClients;
import io.breachwatch.schema.AccessEvent;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.Serializer;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;

/**
 * A latency run's events, made and serialized before the feed starts, so that the sender does nothing but send them
 * at the rate. The simulator makes its events one simulated hour at a time: with the latency run's 10,000 accounts,
 * an hour of a working day is about 160,000 events, and making one took 1.5-2.7 s on an idle machine (2026-12-07).
 * Made on the sender's thread, each such hour stopped the feed for that long, after which the sender caught up in a
 * burst of 8,000-13,000 events; and the making took one of the two cores from the app and the broker meanwhile.
 *
 * <p>Each event is kept as the bytes the producer would send (key {@code tenant/user}, value in the Confluent wire
 * format), packed into large arrays, with its record time and the hashes of its match keys ({@link SendTimes#hash}
 * of {@code tenant/user@time} and {@code tenant/ip:address@time}). About 300 bytes an event: a few hundred MB for
 * the longest run at 5,000 events/s, in a few dozen arrays that a collection neither copies nor scans.
 */
final class PreparedEvents {
    /** {@link #ipKey} of an event without a source address. */
    static final long NO_KEY = 0;
    private static final int CHUNK_BYTES = 8 << 20;

    private final String topic;
    private final List<byte[]> chunks = new ArrayList<>();
    private byte[] chunk = new byte[0];
    private int chunkUsed;
    private long bytes;
    private int size;
    private long[] timestamps = new long[1024];
    private long[] userKeys = new long[1024];
    private long[] ipKeys = new long[1024];
    private int[] chunkIndex = new int[1024];
    private int[] offsets = new int[1024];
    private int[] keyLengths = new int[1024];
    private int[] valueLengths = new int[1024];

    private PreparedEvents(String topic) {
        this.topic = topic;
    }

    /** The first {@code limit} of {@code events}, serialized for {@code topic} with {@code values}. */
    static PreparedEvents of(Iterator<AccessEvent> events, long limit, String topic, Serializer<AccessEvent> values) {
        var prepared = new PreparedEvents(topic);
        while (prepared.size < limit && events.hasNext()) {
            prepared.add(events.next(), values);
        }
        return prepared;
    }

    /** The match key of an incident whose actor is a user: what {@link #userKey} hashes. */
    static String userMatchKey(String tenant, String user, long time) {
        return tenant + "/" + user + "@" + time;
    }

    /** The match key of an incident whose actor is a source address: what {@link #ipKey} hashes. */
    static String ipMatchKey(String tenant, String address, long time) {
        return tenant + "/ip:" + address + "@" + time;
    }

    private void add(AccessEvent event, Serializer<AccessEvent> values) {
        var key = AvroClients.key(event).getBytes(StandardCharsets.UTF_8);
        var value = values.serialize(topic, event);
        if (size == timestamps.length) {
            grow();
        }
        int length = key.length + value.length;
        if (chunkUsed + length > chunk.length) {
            chunk = new byte[Math.max(CHUNK_BYTES, length)];
            chunks.add(chunk);
            chunkUsed = 0;
        }
        System.arraycopy(key, 0, chunk, chunkUsed, key.length);
        System.arraycopy(value, 0, chunk, chunkUsed + key.length, value.length);
        var time = event.getTimestamp().toEpochMilli();
        timestamps[size] = time;
        userKeys[size] = SendTimes.hash(userMatchKey(event.getTenantId(), event.getUserId(), time));
        ipKeys[size] = event.getSourceIp() == null ? NO_KEY : SendTimes.hash(ipMatchKey(event.getTenantId(), event.getSourceIp(), time));
        chunkIndex[size] = chunks.size() - 1;
        offsets[size] = chunkUsed;
        keyLengths[size] = key.length;
        valueLengths[size] = value.length;
        chunkUsed += length;
        bytes += length;
        size++;
    }

    private void grow() {
        int capacity = timestamps.length * 2;
        timestamps = Arrays.copyOf(timestamps, capacity);
        userKeys = Arrays.copyOf(userKeys, capacity);
        ipKeys = Arrays.copyOf(ipKeys, capacity);
        chunkIndex = Arrays.copyOf(chunkIndex, capacity);
        offsets = Arrays.copyOf(offsets, capacity);
        keyLengths = Arrays.copyOf(keyLengths, capacity);
        valueLengths = Arrays.copyOf(valueLengths, capacity);
    }

    int size() {
        return size;
    }

    /** Key and value bytes held. */
    long bytes() {
        return bytes;
    }

    /** Event {@code i} as a record for the topic it was serialized for, its event time as the record timestamp. */
    ProducerRecord<byte[], byte[]> record(int i) {
        var from = chunks.get(chunkIndex[i]);
        int keyStart = offsets[i];
        int valueStart = keyStart + keyLengths[i];
        return new ProducerRecord<>(topic, null, timestamps[i], Arrays.copyOfRange(from, keyStart, valueStart),
                Arrays.copyOfRange(from, valueStart, valueStart + valueLengths[i]));
    }

    /** {@link SendTimes#hash} of event {@code i}'s {@link #userMatchKey}. */
    long userKey(int i) {
        return userKeys[i];
    }

    /** {@link SendTimes#hash} of event {@code i}'s {@link #ipMatchKey}, {@link #NO_KEY} when it has no source address. */
    long ipKey(int i) {
        return ipKeys[i];
    }
}
