package io.breachwatch.detect;

import java.io.DataInput;
import java.io.EOFException;
import java.io.UTFDataFormatException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Objects;

/**
 * {@link DataInput} over a byte array, reading the fixed-width state formats that {@link CompactWriter}'s
 * {@code DataOutput} methods (or {@link java.io.DataOutputStream}) wrote, as {@link java.io.DataInputStream} would,
 * without a stream in between: the same values, the same {@link EOFException} at a premature end and
 * {@link UTFDataFormatException} for malformed modified UTF-8; a typical {@code user-activity} entry of 153 bytes is
 * read in 4.5x less time (BENCHMARKS.md, 2026-12-07, session 10). Not {@link CompactReader}, which reads the varint
 * format and fails with unchecked exceptions: the state serdes' callers expect {@code DataInput}'s checked ones.
 */
final class StateInput implements DataInput {
    private final byte[] data;
    private int pos;

    StateInput(byte[] data) {
        this.data = Objects.requireNonNull(data, "data");
    }

    /** Bytes not read yet. */
    int remaining() {
        return data.length - pos;
    }

    private int next(int n) throws EOFException {
        if (data.length - pos < n) {
            throw new EOFException("needed " + n + " more bytes at offset " + pos + " of " + data.length);
        }
        var at = pos;
        pos += n;
        return at;
    }

    @Override
    public void readFully(byte[] b) throws EOFException {
        readFully(b, 0, b.length);
    }

    @Override
    public void readFully(byte[] b, int off, int len) throws EOFException {
        Objects.checkFromIndexSize(off, len, b.length);
        System.arraycopy(data, next(len), b, off, len);
    }

    /** {@code length} bytes as a new array. */
    byte[] readBytes(int length) throws EOFException {
        if (length < 0) {
            throw new IllegalArgumentException("negative length " + length);
        }
        var at = next(length); // before allocating: a corrupt length fails here, not with an OutOfMemoryError
        return Arrays.copyOfRange(data, at, at + length);
    }

    @Override
    public int skipBytes(int n) {
        var skipped = Math.max(0, Math.min(n, remaining()));
        pos += skipped;
        return skipped;
    }

    @Override
    public boolean readBoolean() throws EOFException {
        return data[next(1)] != 0;
    }

    @Override
    public byte readByte() throws EOFException {
        return data[next(1)];
    }

    @Override
    public int readUnsignedByte() throws EOFException {
        return data[next(1)] & 0xFF;
    }

    @Override
    public short readShort() throws EOFException {
        return (short) readUnsignedShort();
    }

    @Override
    public int readUnsignedShort() throws EOFException {
        var at = next(2);
        return (data[at] & 0xFF) << 8 | data[at + 1] & 0xFF;
    }

    @Override
    public char readChar() throws EOFException {
        return (char) readUnsignedShort();
    }

    @Override
    public int readInt() throws EOFException {
        var at = next(4);
        return (data[at] & 0xFF) << 24 | (data[at + 1] & 0xFF) << 16 | (data[at + 2] & 0xFF) << 8 | data[at + 3] & 0xFF;
    }

    @Override
    public long readLong() throws EOFException {
        var at = next(8);
        long v = 0;
        for (int i = 0; i < 8; i++) {
            v = v << 8 | data[at + i] & 0xFF;
        }
        return v;
    }

    @Override
    public float readFloat() throws EOFException {
        return Float.intBitsToFloat(readInt());
    }

    @Override
    public double readDouble() throws EOFException {
        return Double.longBitsToDouble(readLong());
    }

    /** Not part of any state format (a line of text has no place in one). */
    @Override
    public String readLine() {
        throw new UnsupportedOperationException("state values hold no lines of text");
    }

    /** Modified UTF-8 with a two-byte length, as {@link java.io.DataInputStream#readUTF}. */
    @Override
    public String readUTF() throws EOFException, UTFDataFormatException {
        var length = readUnsignedShort();
        var start = next(length);
        var end = start + length;
        var ascii = true;
        for (int i = start; i < end && ascii; i++) {
            ascii = data[i] >= 0; // 0x00-0x7F: one byte, one char (DataInputStream reads a 0 byte as char 0 too)
        }
        if (ascii) {
            return new String(data, start, length, StandardCharsets.ISO_8859_1);
        }
        var chars = new char[length];
        var n = 0;
        for (int i = start; i < end; ) {
            int c = data[i] & 0xFF;
            switch (c >> 4) {
                case 0, 1, 2, 3, 4, 5, 6, 7 -> {
                    chars[n++] = (char) c;
                    i++;
                }
                case 12, 13 -> {
                    if (i + 2 > end || (data[i + 1] & 0xC0) != 0x80) {
                        throw malformed(i - start);
                    }
                    chars[n++] = (char) ((c & 0x1F) << 6 | data[i + 1] & 0x3F);
                    i += 2;
                }
                case 14 -> {
                    if (i + 3 > end || (data[i + 1] & 0xC0) != 0x80 || (data[i + 2] & 0xC0) != 0x80) {
                        throw malformed(i - start);
                    }
                    chars[n++] = (char) ((c & 0x0F) << 12 | (data[i + 1] & 0x3F) << 6 | data[i + 2] & 0x3F);
                    i += 3;
                }
                default -> throw malformed(i - start);
            }
        }
        return new String(chars, 0, n);
    }

    private static UTFDataFormatException malformed(int offset) {
        return new UTFDataFormatException("malformed modified UTF-8 at byte " + offset + " of a string");
    }
}
