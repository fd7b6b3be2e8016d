package io.breachwatch.serde;

import org.apache.avro.Schema;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;

/** Kafka {@link Serde}s for Avro specific records in the Confluent wire format. */
public final class AvroSerde {
    private AvroSerde() {
    }

    public static <T extends SpecificRecord> Serde<T> forValues(SchemaRegistryClient registry, Schema schema) {
        return Serdes.serdeFrom(new AvroSerializer<>(registry, schema, false), new AvroDeserializer<>(registry, schema));
    }

    public static <T extends SpecificRecord> Serde<T> forKeys(SchemaRegistryClient registry, Schema schema) {
        return Serdes.serdeFrom(new AvroSerializer<>(registry, schema, true), new AvroDeserializer<>(registry, schema));
    }
}
