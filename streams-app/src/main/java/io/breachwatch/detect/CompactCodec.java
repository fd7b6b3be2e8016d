package io.breachwatch.detect;

import java.util.Arrays;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;

/**
 * How a state value writes its strings and 64-bit hashes: {@link #INLINE} (each where it occurs), or as references
 * into tables shared by several values encoded together ({@link Tables}): the hopping windows of one entity
 * overlap, so they share most evidence ids, field names and distinct hashes, and each is written once.
 */
interface CompactCodec {

    void writeString(CompactWriter out, String s);

    String readString(CompactReader in);

    /** Writes {@code hashes[0, n)}, sorted ascending. */
    void writeHashes(CompactWriter out, long[] hashes, int n);

    /** The hashes {@link #writeHashes} wrote, in an array of exactly their number. */
    long[] readHashes(CompactReader in);

    default void writeStrings(CompactWriter out, Collection<String> values) {
        out.writeVarLong(values.size());
        for (var v : values) {
            writeString(out, v);
        }
    }

    default void readStrings(CompactReader in, Collection<String> target) {
        var n = in.readCount();
        for (int i = 0; i < n; i++) {
            target.add(readString(in));
        }
    }

    CompactCodec INLINE = new CompactCodec() {
        @Override
        public void writeString(CompactWriter out, String s) {
            out.writeString(s);
        }

        @Override
        public String readString(CompactReader in) {
            return in.readString();
        }

        @Override
        public void writeHashes(CompactWriter out, long[] hashes, int n) {
            out.writeVarLong(n);
            for (int i = 0; i < n; i++) {
                out.writeLong(hashes[i]);
            }
        }

        @Override
        public long[] readHashes(CompactReader in) {
            var n = in.readCount();
            var out = new long[n];
            for (int i = 0; i < n; i++) {
                out[i] = in.readLong();
            }
            return out;
        }
    };

    /**
     * Shared tables: while writing, each new string or hash gets the next index and a value writes indexes (strings:
     * index + 1, 0 for null; hashes: the difference to the previous index, small because sorted hashes of
     * overlapping windows get increasing indexes). {@link #writeTables} then writes the tables, which a reader
     * loads with {@link #readTables} before the values.
     */
    final class Tables implements CompactCodec {
        /** Writing only: where each string and hash is in its table (made on first use: readers need neither). */
        private Map<String, Integer> stringIndex;
        private String[] strings = new String[16];
        private int stringCount;
        private HashIndex hashIndex;
        private long[] hashes = new long[16];
        private int hashCount;

        @Override
        public void writeString(CompactWriter out, String s) {
            if (s == null) {
                out.writeVarLong(0);
                return;
            }
            if (stringIndex == null) {
                stringIndex = new HashMap<>();
            }
            var index = stringIndex.get(s);
            if (index == null) {
                index = stringCount;
                stringIndex.put(s, index);
                if (stringCount == strings.length) {
                    strings = Arrays.copyOf(strings, stringCount * 2);
                }
                strings[stringCount++] = s;
            }
            out.writeVarLong(index + 1L);
        }

        @Override
        public String readString(CompactReader in) {
            var ref = in.readVarLong();
            if (ref == 0) {
                return null;
            }
            if (ref < 0 || ref > stringCount) {
                throw new IllegalStateException("string reference " + ref + " beyond the table of " + stringCount);
            }
            return strings[(int) ref - 1];
        }

        @Override
        public void writeHashes(CompactWriter out, long[] values, int n) {
            out.writeVarLong(n);
            if (hashIndex == null) {
                hashIndex = new HashIndex(n);
            }
            long previous = 0;
            for (int i = 0; i < n; i++) {
                var index = hashIndex.indexOf(values[i], hashCount);
                if (index == hashCount) { // new: appended to the table
                    if (hashCount == hashes.length) {
                        hashes = Arrays.copyOf(hashes, hashCount * 2);
                    }
                    hashes[hashCount++] = values[i];
                }
                out.writeVarLong(index - previous);
                previous = index;
            }
        }

        @Override
        public long[] readHashes(CompactReader in) {
            var n = in.readCount();
            var out = new long[n];
            long index = 0;
            for (int i = 0; i < n; i++) {
                index += in.readVarLong();
                if (index < 0 || index >= hashCount) {
                    throw new IllegalStateException("hash reference " + index + " beyond the table of " + hashCount);
                }
                out[i] = hashes[(int) index];
            }
            return out;
        }

        /**
         * Empty again for the next values written, keeping what it allocated unless it grew beyond {@code keepEntries}
         * (the hash index is cleared whole on every reset: a larger one would cost that on every value after).
         */
        void reset(int keepEntries) {
            if (stringIndex != null) {
                stringIndex.clear();
            }
            Arrays.fill(strings, 0, stringCount, null);
            if (strings.length > keepEntries) {
                strings = new String[16];
            }
            stringCount = 0;
            if (hashIndex != null) {
                hashIndex = hashIndex.capacity() > keepEntries ? null : hashIndex.cleared();
            }
            if (hashes.length > keepEntries) {
                hashes = new long[16];
            }
            hashCount = 0;
        }

        /** The tables collected while writing. */
        void writeTables(CompactWriter out) {
            out.writeVarLong(stringCount);
            for (int i = 0; i < stringCount; i++) {
                out.writeString(strings[i]);
            }
            out.writeVarLong(hashCount);
            for (int i = 0; i < hashCount; i++) {
                out.writeLong(hashes[i]);
            }
        }

        /** Tables read back, for reading the values written with them. */
        static Tables readTables(CompactReader in) {
            var t = new Tables();
            t.stringCount = in.readCount();
            t.strings = new String[t.stringCount];
            for (int i = 0; i < t.stringCount; i++) {
                t.strings[i] = in.readString();
            }
            t.hashCount = in.readCount();
            t.hashes = new long[t.hashCount];
            for (int i = 0; i < t.hashCount; i++) {
                t.hashes[i] = in.readLong();
            }
            return t;
        }
    }

    /**
     * Hash -> table index without boxing (open addressing, linear probing): a scraper's windows hold thousands of
     * hashes each, and every event re-encodes all of them.
     */
    final class HashIndex {
        private long[] keys;
        /** Index + 1; 0 marks a free slot. */
        private int[] slots;
        private int size;

        HashIndex(int expected) {
            int capacity = Integer.highestOneBit(Math.max(16, expected * 2 - 1)) << 1;
            keys = new long[capacity];
            slots = new int[capacity];
        }

        int capacity() {
            return slots.length;
        }

        /** This index, emptied. */
        HashIndex cleared() {
            Arrays.fill(slots, 0);
            size = 0;
            return this;
        }

        /** The index of {@code hash}; when absent, {@code next} is recorded as its index and returned. */
        int indexOf(long hash, int next) {
            int mask = slots.length - 1;
            for (int i = spread(hash) & mask; ; i = (i + 1) & mask) {
                if (slots[i] == 0) {
                    keys[i] = hash;
                    slots[i] = next + 1;
                    if (++size * 2 > slots.length) {
                        grow();
                    }
                    return next;
                }
                if (keys[i] == hash) {
                    return slots[i] - 1;
                }
            }
        }

        private void grow() {
            var oldKeys = keys;
            var oldSlots = slots;
            keys = new long[oldKeys.length * 2];
            slots = new int[oldSlots.length * 2];
            int mask = slots.length - 1;
            for (int j = 0; j < oldSlots.length; j++) {
                if (oldSlots[j] != 0) {
                    int i = spread(oldKeys[j]) & mask;
                    while (slots[i] != 0) {
                        i = (i + 1) & mask;
                    }
                    keys[i] = oldKeys[j];
                    slots[i] = oldSlots[j];
                }
            }
        }

        private static int spread(long hash) {
            long h = hash * 0x9E3779B97F4A7C15L;
            return (int) (h ^ (h >>> 32));
        }
    }
}
