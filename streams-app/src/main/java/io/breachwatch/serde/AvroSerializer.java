package io.breachwatch.serde;

import org.apache.avro.Schema;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificDatumWriter;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Serializer;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Writes Avro specific records in the Confluent wire format, registering the record's schema under the
 * topic-name subject once per topic (then cached). Byte-for-byte what Confluent's KafkaAvroSerializer writes.
 */
public final class AvroSerializer<T extends SpecificRecord> implements Serializer<T> {
    private final SchemaRegistryClient registry;
    private final Schema schema;
    private final SpecificDatumWriter<T> writer;
    private final Map<String, Integer> idsByTopic = new ConcurrentHashMap<>();
    private volatile boolean isKey;

    public AvroSerializer(SchemaRegistryClient registry, Schema schema, boolean isKey) {
        this.registry = registry;
        this.schema = schema;
        this.writer = new SpecificDatumWriter<>(schema, SpecificData.getForSchema(schema));
        this.isKey = isKey;
    }

    @Override
    public void configure(Map<String, ?> configs, boolean isKey) {
        this.isKey = isKey;
    }

    @Override
    public byte[] serialize(String topic, T data) {
        if (data == null) {
            return null;
        }
        int id;
        try {
            id = idsByTopic.computeIfAbsent(topic, t -> registry.register(WireFormat.subject(t, isKey), schema));
        } catch (RegistryException e) {
            throw new SerializationException("Cannot register schema " + schema.getFullName() + " for topic " + topic + ": " + e.getMessage(), e);
        }
        var out = new ByteArrayOutputStream(256);
        out.write(WireFormat.MAGIC_BYTE);
        out.writeBytes(ByteBuffer.allocate(4).putInt(id).array());
        try {
            BinaryEncoder encoder = EncoderFactory.get().directBinaryEncoder(out, null);
            writer.write(data, encoder);
            encoder.flush();
        } catch (IOException | RuntimeException e) {
            throw new SerializationException("Cannot write " + schema.getFullName() + " for topic " + topic + ": " + e.getMessage(), e);
        }
        return out.toByteArray();
    }
}
