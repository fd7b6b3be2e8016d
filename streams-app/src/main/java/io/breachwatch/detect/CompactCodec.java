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
        private final Map<String, Integer> stringIndex = new HashMap<>();
        private String[] strings = new String[16];
        private int stringCount;
        private final Map<Long, Integer> hashIndex = new HashMap<>();
        private long[] hashes = new long[16];
        private int hashCount;

        @Override
        public void writeString(CompactWriter out, String s) {
            if (s == null) {
                out.writeVarLong(0);
                return;
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
            long previous = 0;
            for (int i = 0; i < n; i++) {
                var index = hashIndex.get(values[i]);
                if (index == null) {
                    index = hashCount;
                    hashIndex.put(values[i], index);
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
}
