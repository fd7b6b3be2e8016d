package io.breachwatch.detect;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInput;
import java.io.DataInputStream;
import java.io.DataOutput;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.UTFDataFormatException;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** {@link CompactWriter} (as a {@link DataOutput}) and {@link StateInput} against the JDK's data streams: the state formats must not change. */
class StateBytesTest {
    private static final List<String> STRINGS = List.of("", "abc", "sess-7f3a9c", "nul\u0000inside", "Zürich",
            "北京", "\u07FF\u0800\uFFFF", "emoji \uD83D\uDE00 pair", "x".repeat(1000));

    private interface Fields {
        void write(DataOutput out) throws IOException;
    }

    /** Every kind of field, in one value. */
    private static final Fields ALL = out -> {
        out.writeBoolean(true);
        out.writeBoolean(false);
        out.writeByte(-7);
        out.writeShort(-12345);
        out.writeChar('\u20AC');
        out.writeInt(Integer.MIN_VALUE);
        out.writeInt(123456789);
        out.writeLong(Long.MIN_VALUE);
        out.writeLong(0x0102030405060708L);
        out.writeFloat(3.5f);
        out.writeDouble(-0.1);
        out.writeDouble(Double.NaN);
        out.write(new byte[]{1, 2, 3, 4, 5}, 1, 3);
        out.write(255);
        out.writeBytes("bytes\u0101");
        out.writeChars("chars\u0101");
        for (var s : STRINGS) {
            out.writeUTF(s);
        }
    };

    private static byte[] jdk(Fields fields) throws IOException {
        var bytes = new ByteArrayOutputStream();
        try (var out = new DataOutputStream(bytes)) {
            fields.write(out);
        }
        return bytes.toByteArray();
    }

    private static byte[] ours(Fields fields) throws IOException {
        var out = new CompactWriter(1); // grows from the smallest buffer
        fields.write(out);
        return out.toByteArray();
    }

    @Test
    void writesWhatDataOutputStreamWrites() throws IOException {
        assertThat(ours(ALL)).isEqualTo(jdk(ALL));
    }

    @Test
    void writesRandomStringsAsDataOutputStreamDoes() throws IOException {
        var random = new Random(42);
        var strings = new ArrayList<String>();
        for (int i = 0; i < 2000; i++) {
            var chars = new char[random.nextInt(40)];
            for (int j = 0; j < chars.length; j++) {
                // mostly ASCII, some Latin-1, some anywhere in the BMP (lone surrogates included)
                chars[j] = (char) switch (random.nextInt(4)) {
                    case 0, 1 -> random.nextInt(0x80);
                    case 2 -> random.nextInt(0x800);
                    default -> random.nextInt(0x10000);
                };
            }
            strings.add(new String(chars));
        }
        Fields all = out -> {
            for (var s : strings) {
                out.writeUTF(s);
            }
        };
        var written = jdk(all);
        assertThat(ours(all)).isEqualTo(written);
        var in = new StateInput(written);
        for (var s : strings) {
            assertThat(in.readUTF()).isEqualTo(s);
        }
        assertThat(in.remaining()).isZero();
    }

    @Test
    void readsWhatDataInputStreamReads() throws IOException {
        var bytes = jdk(ALL);
        var ours = new StateInput(bytes);
        try (var jdk = new DataInputStream(new ByteArrayInputStream(bytes))) {
            assertSameFields(ours, jdk);
        }
        assertThat(ours.remaining()).isZero();
    }

    private static void assertSameFields(DataInput ours, DataInput jdk) throws IOException {
        assertThat(ours.readBoolean()).isEqualTo(jdk.readBoolean());
        assertThat(ours.readBoolean()).isEqualTo(jdk.readBoolean());
        assertThat(ours.readByte()).isEqualTo(jdk.readByte());
        assertThat(ours.readShort()).isEqualTo(jdk.readShort());
        assertThat(ours.readChar()).isEqualTo(jdk.readChar());
        assertThat(ours.readInt()).isEqualTo(jdk.readInt()).isEqualTo(Integer.MIN_VALUE);
        assertThat(ours.readInt()).isEqualTo(jdk.readInt()).isEqualTo(123456789);
        assertThat(ours.readLong()).isEqualTo(jdk.readLong()).isEqualTo(Long.MIN_VALUE);
        assertThat(ours.readLong()).isEqualTo(jdk.readLong()).isEqualTo(0x0102030405060708L);
        assertThat(ours.readFloat()).isEqualTo(jdk.readFloat()).isEqualTo(3.5f);
        assertThat(ours.readDouble()).isEqualTo(jdk.readDouble()).isEqualTo(-0.1);
        assertThat(ours.readDouble()).isNaN();
        assertThat(jdk.readDouble()).isNaN();
        var a = new byte[3];
        var b = new byte[3];
        ours.readFully(a);
        jdk.readFully(b);
        assertThat(a).isEqualTo(b).containsExactly(2, 3, 4);
        assertThat(ours.readUnsignedByte()).isEqualTo(jdk.readUnsignedByte()).isEqualTo(255);
        assertThat(ours.skipBytes(6)).isEqualTo(jdk.skipBytes(6)).isEqualTo(6);
        assertThat(ours.skipBytes(12)).isEqualTo(jdk.skipBytes(12)).isEqualTo(12);
        for (var s : STRINGS) {
            assertThat(ours.readUTF()).isEqualTo(jdk.readUTF()).isEqualTo(s);
        }
    }

    @Test
    void refusesWhatDataOutputStreamRefuses() {
        var tooLong = "\u4E2D".repeat(21846); // 3 bytes each: 65,538 bytes
        assertThatThrownBy(() -> jdk(out -> out.writeUTF(tooLong))).isInstanceOf(UTFDataFormatException.class);
        assertThatThrownBy(() -> ours(out -> out.writeUTF(tooLong))).isInstanceOf(UTFDataFormatException.class)
                .hasMessageContaining("65,538 bytes");
    }

    @Test
    void malformedOrTruncatedInputFailsAsDataInputStreamDoes() {
        // a 2-byte lead without its continuation, a stray continuation byte, a 4-byte lead (not modified UTF-8)
        for (var bad : List.of(new byte[]{0, 2, (byte) 0xC3, 'a'}, new byte[]{0, 1, (byte) 0x80}, new byte[]{0, 1, (byte) 0xF0},
                new byte[]{0, 1, (byte) 0xE4})) {
            assertThatThrownBy(() -> new DataInputStream(new ByteArrayInputStream(bad)).readUTF()).isInstanceOf(UTFDataFormatException.class);
            assertThatThrownBy(() -> new StateInput(bad).readUTF()).isInstanceOf(UTFDataFormatException.class);
        }
        var truncated = new byte[]{0, 5, 'a', 'b'};
        assertThatThrownBy(() -> new DataInputStream(new ByteArrayInputStream(truncated)).readUTF()).isInstanceOf(EOFException.class);
        assertThatThrownBy(() -> new StateInput(truncated).readUTF()).isInstanceOf(EOFException.class);
        assertThatThrownBy(() -> new StateInput(new byte[]{1, 2, 3}).readLong()).isInstanceOf(EOFException.class)
                .hasMessageContaining("needed 8 more bytes at offset 0 of 3");
    }

    @Test
    void aCorruptLengthFailsBeforeAllocating() {
        var in = new StateInput(new byte[]{1, 2, 3});
        assertThatThrownBy(() -> in.readBytes(Integer.MAX_VALUE)).isInstanceOf(EOFException.class);
        assertThatThrownBy(() -> in.readBytes(-1)).isInstanceOf(IllegalArgumentException.class);
    }
}
