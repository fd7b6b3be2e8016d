package io.breachwatch.detect;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * A growable byte buffer for state values that are read and rewritten on every update: zig-zag varints, UTF-8
 * strings behind a varint length (0 for null, else length + 1), fixed 8-byte longs. No streams, no copying but
 * the final {@link #toByteArray()}; {@link #reset} serves the next value with the same buffer. {@link CompactReader}
 * reads it back.
 */
final class CompactWriter {
    private byte[] buf;
    private int size;

    CompactWriter(int expectedSize) {
        buf = new byte[Math.max(16, expectedSize)];
    }

    void writeByte(int b) {
        ensure(1);
        buf[size++] = (byte) b;
    }

    void writeVarLong(long value) {
        ensure(10);
        var v = (value << 1) ^ (value >> 63);
        while ((v & ~0x7FL) != 0) {
            buf[size++] = (byte) ((v & 0x7F) | 0x80);
            v >>>= 7;
        }
        buf[size++] = (byte) v;
    }

    void writeLong(long v) {
        ensure(8);
        for (int shift = 56; shift >= 0; shift -= 8) {
            buf[size++] = (byte) (v >>> shift);
        }
    }

    void writeString(String s) {
        if (s == null) {
            writeVarLong(0);
            return;
        }
        var bytes = s.getBytes(StandardCharsets.UTF_8);
        writeVarLong(bytes.length + 1L);
        ensure(bytes.length);
        System.arraycopy(bytes, 0, buf, size, bytes.length);
        size += bytes.length;
    }

    /** Appends what {@code other} holds. */
    void write(CompactWriter other) {
        ensure(other.size);
        System.arraycopy(other.buf, 0, buf, size, other.size);
        size += other.size;
    }

    int size() {
        return size;
    }

    /**
     * Empty again for the next value, keeping the buffer unless it grew beyond {@code keepBytes} (one huge value,
     * e.g. a scraper's windows, must not stay on the heap for good).
     */
    void reset(int keepBytes) {
        size = 0;
        if (buf.length > keepBytes) {
            buf = new byte[keepBytes];
        }
    }

    byte[] toByteArray() {
        return Arrays.copyOf(buf, size);
    }

    private void ensure(int more) {
        if (size + more > buf.length) {
            buf = Arrays.copyOf(buf, Math.max(buf.length * 2, size + more));
        }
    }
}
