package io.breachwatch.serde;

import org.apache.avro.Schema;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificDatumReader;
import org.apache.avro.specific.SpecificDatumWriter;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serializer;

import java.io.ByteArrayOutputStream;
import java.io.IOException;

/**
 * Plain Avro binary without a registry, for the app's own state stores and changelogs: the app is the only
 * reader and writer, so a registry round trip per subject would add a dependency and nothing else.
 */
public final class AvroBinarySerde<T extends SpecificRecord> implements Serde<T>, Serializer<T>, Deserializer<T> {
    private final Schema schema;
    private final SpecificDatumWriter<T> writer;
    private final SpecificDatumReader<T> reader;

    public AvroBinarySerde(Schema schema) {
        this.schema = schema;
        this.writer = new SpecificDatumWriter<>(schema, SpecificData.getForSchema(schema));
        this.reader = new SpecificDatumReader<>(schema, schema, SpecificData.getForSchema(schema));
    }

    @Override
    public byte[] serialize(String topic, T data) {
        if (data == null) {
            return null;
        }
        var out = new ByteArrayOutputStream(256);
        try {
            var encoder = EncoderFactory.get().directBinaryEncoder(out, null);
            writer.write(data, encoder);
            encoder.flush();
        } catch (IOException e) {
            throw new SerializationException("Cannot write " + schema.getFullName(), e);
        }
        return out.toByteArray();
    }

    @Override
    public T deserialize(String topic, byte[] data) {
        if (data == null) {
            return null;
        }
        try {
            return reader.read(null, DecoderFactory.get().binaryDecoder(data, null));
        } catch (IOException | RuntimeException e) {
            throw new SerializationException("Cannot read " + schema.getFullName() + " state", e);
        }
    }

    @Override
    public void configure(java.util.Map<String, ?> configs, boolean isKey) {
    }

    @Override
    public void close() {
    }

    @Override
    public Serializer<T> serializer() {
        return this;
    }

    @Override
    public Deserializer<T> deserializer() {
        return this;
    }
}
