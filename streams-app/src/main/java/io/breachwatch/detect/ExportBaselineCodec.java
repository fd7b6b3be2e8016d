package io.breachwatch.detect;

import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;

/** Binary serdes for export-baseline's own state and internal topics: a format version byte, then the fields. */
final class ExportBaselineCodec {
    private static final byte FORMAT_VERSION = 1;

    interface Writer<T> {
        void write(DataOutputStream out, T value) throws IOException;
    }

    interface Reader<T> {
        T read(DataInputStream in) throws IOException;
    }

    private ExportBaselineCodec() {
    }

    static <T> Serde<T> serde(String what, Writer<T> writer, Reader<T> reader) {
        return Serdes.serdeFrom((topic, value) -> {
            if (value == null) {
                return null;
            }
            var bytes = new ByteArrayOutputStream(128);
            try (var out = new DataOutputStream(bytes)) {
                out.writeByte(FORMAT_VERSION);
                writer.write(out, value);
            } catch (IOException e) {
                throw new SerializationException("Cannot write " + what, e);
            }
            return bytes.toByteArray();
        }, (topic, data) -> {
            if (data == null) {
                return null;
            }
            try (var in = new DataInputStream(new ByteArrayInputStream(data))) {
                var version = in.readByte();
                if (version != FORMAT_VERSION) {
                    throw new SerializationException("Unknown " + what + " format version " + version + " (topic " + topic + ")");
                }
                return reader.read(in);
            } catch (IOException e) {
                throw new SerializationException("Cannot read " + what + " (" + data.length + " bytes, topic " + topic + ")", e);
            }
        });
    }

    /** A value of another serde, length-prefixed; null allowed. */
    static <T> void writeNested(DataOutputStream out, Serde<T> serde, T value) throws IOException {
        var bytes = value == null ? null : serde.serializer().serialize(null, value);
        out.writeInt(bytes == null ? -1 : bytes.length);
        if (bytes != null) {
            out.write(bytes);
        }
    }

    static <T> T readNested(DataInputStream in, Serde<T> serde) throws IOException {
        var length = in.readInt();
        return length < 0 ? null : serde.deserializer().deserialize(null, in.readNBytes(length));
    }

    static void writeNullable(DataOutputStream out, String s) throws IOException {
        out.writeBoolean(s != null);
        if (s != null) {
            out.writeUTF(s);
        }
    }

    static String readNullable(DataInputStream in) throws IOException {
        return in.readBoolean() ? in.readUTF() : null;
    }
}
