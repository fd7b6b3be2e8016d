package io.breachwatch.detect;

import java.nio.charset.StandardCharsets;

/** Reads what {@link CompactWriter} wrote; a truncated or corrupt value fails with an unchecked exception. */
final class CompactReader {
    private final byte[] data;
    private int pos;

    CompactReader(byte[] data, int offset) {
        this.data = data;
        this.pos = offset;
    }

    int readByte() {
        require(1);
        return data[pos++];
    }

    long readVarLong() {
        long v = 0;
        for (int shift = 0; shift < 64; shift += 7) {
            require(1);
            var b = data[pos++];
            v |= (long) (b & 0x7F) << shift;
            if (b >= 0) {
                return (v >>> 1) ^ -(v & 1);
            }
        }
        throw new IllegalStateException("varint longer than 10 bytes at offset " + pos);
    }

    /** A non-negative count that fits what is left of the value. */
    int readCount() {
        var n = readVarLong();
        if (n < 0 || n > data.length - pos) {
            throw new IllegalStateException("count " + n + " out of range at offset " + pos);
        }
        return (int) n;
    }

    long readLong() {
        require(8);
        long v = 0;
        for (int i = 0; i < 8; i++) {
            v = (v << 8) | (data[pos++] & 0xFF);
        }
        return v;
    }

    String readString() {
        var n = readVarLong();
        if (n == 0) {
            return null;
        }
        if (n < 0 || n - 1 > data.length - pos) {
            throw new IllegalStateException("string length " + (n - 1) + " out of range at offset " + pos);
        }
        var s = new String(data, pos, (int) n - 1, StandardCharsets.UTF_8);
        pos += (int) n - 1;
        return s;
    }

    private void require(int n) {
        if (pos + n > data.length) {
            throw new IllegalStateException("value ends at " + data.length + " bytes, needs " + (pos + n));
        }
    }
}
