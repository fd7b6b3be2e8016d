package io.breachwatch.bench;

import io.breachwatch.detect.WindowAggregate;

import java.util.Arrays;

/**
 * When each event of a latency run was sent and acknowledged, by a 64-bit hash of its match key ({@link #hash}: the
 * caller hashes a key once and passes the hash to every method), in three flat
 * arrays (open addressing, linear probing). A run at 5,000 events/s sends over half a million events with one or two
 * keys each; in maps of boxed entries they made the bench's own JVM hold 400 MB and pause 55-165 ms at each young
 * collection, every 2 s (G1 log, 2026-12-07), pauses that fell into the latencies it measures: the reader stamps an
 * incident late and the sender catches up in a burst. Arrays of longs hold no references, so a collection neither
 * copies nor scans them. Two keys with the same hash (a chance of about 1 in 10^7 in such a run) share an entry.
 * Synchronized: the sender, the producer's callback thread and the incident reader use it.
 */
final class SendTimes {
    /** What {@link #sentAt} and {@link #ackedAt} return for a key that has no such time. */
    static final long NONE = Long.MIN_VALUE;
    private static final long EMPTY = 0;
    private long[] keys;
    private long[] sent;
    private long[] acked;
    private int size;

    SendTimes() {
        allocate(1 << 16);
    }

    /** Records that the event of key hash {@code h} was sent at {@code at}; a later event with the same key replaces it. */
    synchronized void sent(long h, long at) {
        if (2 * (size + 1) > keys.length) {
            grow();
        }
        var i = slot(h);
        if (keys[i] == EMPTY) {
            keys[i] = h;
            size++;
        }
        sent[i] = at;
        acked[i] = NONE;
    }

    /** Records the broker's acknowledgement of the event of key hash {@code h}; ignored for a key never sent. */
    synchronized void acked(long h, long at) {
        var i = slot(h);
        if (keys[i] != EMPTY) {
            acked[i] = at;
        }
    }

    synchronized long sentAt(long h) {
        var i = slot(h);
        return keys[i] == EMPTY ? NONE : sent[i];
    }

    synchronized long ackedAt(long h) {
        var i = slot(h);
        return keys[i] == EMPTY ? NONE : acked[i];
    }

    synchronized int size() {
        return size;
    }

    /** The slot holding {@code h}, or the empty slot where it belongs. */
    private int slot(long h) {
        var mask = keys.length - 1;
        var i = (int) h & mask;
        while (keys[i] != EMPTY && keys[i] != h) {
            i = (i + 1) & mask;
        }
        return i;
    }

    private void grow() {
        var oldKeys = keys;
        var oldSent = sent;
        var oldAcked = acked;
        allocate(oldKeys.length * 2);
        for (int j = 0; j < oldKeys.length; j++) {
            if (oldKeys[j] != EMPTY) {
                var i = slot(oldKeys[j]);
                keys[i] = oldKeys[j];
                sent[i] = oldSent[j];
                acked[i] = oldAcked[j];
            }
        }
    }

    private void allocate(int capacity) {
        keys = new long[capacity];
        sent = new long[capacity];
        acked = new long[capacity];
        Arrays.fill(acked, NONE);
    }

    /**
     * The rules' FNV-1a hash of distinct values ({@link WindowAggregate#hash64}), then MurmurHash3's 64-bit finalizer,
     * so the low bits that pick a slot depend on every char; never {@link #EMPTY}.
     */
    static long hash(String key) {
        var h = WindowAggregate.hash64(key);
        h ^= h >>> 33;
        h *= 0xff51afd7ed558ccdL;
        h ^= h >>> 33;
        h *= 0xc4ceb9fe1a85ec53L;
        h ^= h >>> 33;
        return h == EMPTY ? 1 : h;
    }
}
