package io.breachwatch.topology;

import io.breachwatch.schema.AccessEvent;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serializer;

/**
 * The entity repartition topics' values. Written as the original input bytes, unchanged (Confluent wire format with
 * the producer's writer schema id): re-encoding every event cost more than decoding it. Read back with the same
 * deserializer as {@link DecodeProcessor}, so an event from an older or newer writer schema resolves to the reader
 * schema exactly as it did when it was decoded and validated.
 */
final class OriginalBytesSerde implements Serde<Decoded.Valid> {
    private final Deserializer<AccessEvent> deserializer;

    OriginalBytesSerde(Deserializer<AccessEvent> deserializer) {
        this.deserializer = deserializer;
    }

    @Override
    public Serializer<Decoded.Valid> serializer() {
        return (topic, valid) -> valid == null ? null : valid.raw();
    }

    @Override
    public Deserializer<Decoded.Valid> deserializer() {
        return (topic, bytes) -> bytes == null ? null : new Decoded.Valid(deserializer.deserialize(topic, bytes), bytes, -1);
    }
}
