package io.breachwatch.serde;

import org.apache.avro.Schema;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificDatumReader;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Deserializer;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Reads the Confluent wire format into a specific record. The writer's schema comes from the registry by
 * the id in the header; Avro schema resolution maps it onto this reader's schema, so a v1 event is read by a
 * v2 reader (new fields take their defaults). Every failure is a {@link SerializationException} that says
 * what was wrong (magic byte, unknown id, truncated or incompatible body). A registry that cannot be reached or
 * fails (anything but "not found") surfaces as the {@link RegistryException} itself, so that an error handler can
 * tell bad bytes (dead-letter them) from a registry outage (stop or retry; the record is fine).
 */
public final class AvroDeserializer<T extends SpecificRecord> implements Deserializer<T> {
    private final SchemaRegistryClient registry;
    private final Schema readerSchema;
    private final Map<Integer, SpecificDatumReader<T>> readersByWriterId = new ConcurrentHashMap<>();

    public AvroDeserializer(SchemaRegistryClient registry, Schema readerSchema) {
        this.registry = registry;
        this.readerSchema = readerSchema;
    }

    @Override
    public T deserialize(String topic, byte[] data) {
        if (data == null) {
            return null;
        }
        var buffer = ByteBuffer.wrap(data);
        var id = WireFormat.readSchemaId(buffer, topic);
        var reader = readerFor(id, topic);
        try {
            var decoder = DecoderFactory.get().binaryDecoder(data, buffer.position(), buffer.remaining(), null);
            var record = reader.read(null, decoder);
            if (!decoder.isEnd()) {
                throw new SerializationException("Trailing bytes after " + readerSchema.getFullName()
                        + " with schema id " + id + " (topic " + topic + ")");
            }
            return record;
        } catch (IOException | RuntimeException e) {
            if (e instanceof SerializationException se) {
                throw se;
            }
            throw new SerializationException("Cannot read " + readerSchema.getFullName() + " with writer schema id "
                    + id + " (topic " + topic + "): " + e.getClass().getSimpleName() + ": " + e.getMessage(), e);
        }
    }

    private SpecificDatumReader<T> readerFor(int id, String topic) {
        var cached = readersByWriterId.get(id);
        if (cached != null) {
            return cached;
        }
        Schema writerSchema;
        try {
            writerSchema = registry.schemaById(id);
        } catch (RegistryException e) {
            if (!e.isNotFound()) {
                throw e; // the registry is unreachable or failing: not a fault of this record, so not a SerializationException
            }
            throw new SerializationException("Unknown schema id " + id + " (topic " + topic + "): " + e.getMessage(), e);
        }
        var reader = new SpecificDatumReader<T>(writerSchema, readerSchema, SpecificData.getForSchema(readerSchema));
        readersByWriterId.put(id, reader);
        return reader;
    }
}
