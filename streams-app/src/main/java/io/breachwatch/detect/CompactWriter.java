package io.breachwatch.detect;

import java.io.DataOutput;
import java.io.UTFDataFormatException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Locale;
import java.util.Objects;

/**
 * A growable byte buffer for state values that are read and rewritten on every update: zig-zag varints, UTF-8
 * strings behind a varint length (0 for null, else length + 1), fixed 8-byte longs. No streams, no copying but
 * the final {@link #toByteArray()}; {@link #reset} serves the next value with the same buffer. {@link CompactReader}
 * reads it back.
 *
 * <p>It is also the {@link DataOutput} of the fixed-width state formats ({@link KeyedStateDetection#serde}): those
 * methods write the bytes {@link java.io.DataOutputStream} writes (big-endian, modified UTF-8), so values written
 * before read the same ({@link StateInput} reads them), without the streams' costs: a synchronized call per field and
 * a copy of each string through a buffer of its own. Every event of a session rewrites its user's
 * {@code user-activity} entry (a handful of strings: session and event ids, countries, networks), and
 * {@code DataOutputStream.writeUTF} alone was 6 % of the live stream thread; a typical entry of 153 bytes is written
 * in 2.4x less time (BENCHMARKS.md, 2026-12-07, session 10). Not for concurrent use.
 */
final class CompactWriter implements DataOutput {
    private byte[] buf;
    private int size;

    CompactWriter(int expectedSize) {
        buf = new byte[Math.max(16, expectedSize)];
    }

    @Override
    public void writeByte(int b) {
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

    @Override
    public void writeLong(long v) {
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

    // DataOutput: the fixed-width fields, as DataOutputStream writes them

    @Override
    public void write(int b) {
        writeByte(b);
    }

    @Override
    public void write(byte[] b) {
        write(b, 0, b.length);
    }

    @Override
    public void write(byte[] b, int off, int len) {
        Objects.checkFromIndexSize(off, len, b.length);
        ensure(len);
        System.arraycopy(b, off, buf, size, len);
        size += len;
    }

    @Override
    public void writeBoolean(boolean v) {
        writeByte(v ? 1 : 0);
    }

    @Override
    public void writeShort(int v) {
        ensure(2);
        buf[size++] = (byte) (v >>> 8);
        buf[size++] = (byte) v;
    }

    @Override
    public void writeChar(int v) {
        writeShort(v);
    }

    @Override
    public void writeInt(int v) {
        ensure(4);
        buf[size++] = (byte) (v >>> 24);
        buf[size++] = (byte) (v >>> 16);
        buf[size++] = (byte) (v >>> 8);
        buf[size++] = (byte) v;
    }

    @Override
    public void writeFloat(float v) {
        writeInt(Float.floatToIntBits(v));
    }

    @Override
    public void writeDouble(double v) {
        writeLong(Double.doubleToLongBits(v));
    }

    /** The low byte of each char, as {@link java.io.DataOutputStream#writeBytes}. */
    @Override
    public void writeBytes(String s) {
        ensure(s.length());
        for (int i = 0; i < s.length(); i++) {
            buf[size++] = (byte) s.charAt(i);
        }
    }

    @Override
    public void writeChars(String s) {
        ensure(2 * s.length());
        for (int i = 0; i < s.length(); i++) {
            var c = s.charAt(i);
            buf[size++] = (byte) (c >>> 8);
            buf[size++] = (byte) c;
        }
    }

    /**
     * Modified UTF-8 with a two-byte length, as {@link java.io.DataOutputStream#writeUTF}: chars 1-0x7F take one
     * byte, 0 and up to 0x7FF two, the rest three; more than 65,535 bytes is refused.
     */
    @Override
    public void writeUTF(String s) throws UTFDataFormatException {
        var length = s.length();
        var bytes = length;
        for (int i = 0; i < length; i++) {
            var c = s.charAt(i);
            if (c >= 0x80 || c == 0) {
                bytes += c >= 0x800 ? 2 : 1;
            }
        }
        if (bytes > 0xFFFF) {
            throw new UTFDataFormatException(String.format(Locale.ROOT,
                    "a string of %,d chars takes %,d bytes in modified UTF-8; at most 65,535 fit", length, bytes));
        }
        ensure(2 + bytes);
        buf[size++] = (byte) (bytes >>> 8);
        buf[size++] = (byte) bytes;
        for (int i = 0; i < length; i++) {
            var c = s.charAt(i);
            if (c < 0x80 && c != 0) {
                buf[size++] = (byte) c;
            } else if (c >= 0x800) {
                buf[size++] = (byte) (0xE0 | (c >> 12) & 0x0F);
                buf[size++] = (byte) (0x80 | (c >> 6) & 0x3F);
                buf[size++] = (byte) (0x80 | c & 0x3F);
            } else {
                buf[size++] = (byte) (0xC0 | (c >> 6) & 0x1F);
                buf[size++] = (byte) (0x80 | c & 0x3F);
            }
        }
    }

    private void ensure(int more) {
        if (size + more > buf.length) {
            buf = Arrays.copyOf(buf, Math.max(buf.length * 2, size + more));
        }
    }
}
