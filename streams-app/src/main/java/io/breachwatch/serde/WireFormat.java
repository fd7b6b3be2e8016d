package io.breachwatch.serde;

import org.apache.kafka.common.errors.SerializationException;

import java.nio.ByteBuffer;

/** The Confluent wire format: magic byte 0, 4-byte big-endian schema id, then the Avro binary body. */
public final class WireFormat {
    public static final byte MAGIC_BYTE = 0;
    public static final int HEADER_SIZE = 5;

    private WireFormat() {
    }

    /** Subject name by the topic-name strategy: {@code <topic>-key} or {@code <topic>-value}. */
    public static String subject(String topic, boolean isKey) {
        return topic + (isKey ? "-key" : "-value");
    }

    /** Reads the header and returns the schema id; the buffer is left at the start of the Avro body. */
    public static int readSchemaId(ByteBuffer buffer, String topic) {
        if (buffer.remaining() < HEADER_SIZE) {
            throw new SerializationException("Not Confluent wire format (topic " + topic + "): "
                    + buffer.remaining() + " bytes, need at least " + HEADER_SIZE);
        }
        var magic = buffer.get();
        if (magic != MAGIC_BYTE) {
            throw new SerializationException("Unknown magic byte " + magic + " (topic " + topic
                    + "): expected 0, the Confluent wire format");
        }
        return buffer.getInt();
    }
}
