package io.breachwatch.serde;

import io.breachwatch.schema.AccessEvent;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.HexFormat;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Pins the serde byte-for-byte to Confluent's own implementation: the vectors were written by Confluent's
 * JavaScript client (@confluentinc/schemaregistry AvroSerializer over its MockClient) from AccessEvent.avsc.
 *
 * <p>timestamp-millis: the JS client's Avro library (avsc) has no logical type registered for it, so it writes
 * the epoch-millis number as a plain Avro long. That is also exactly what the logical type means on the wire
 * (Avro spec: a long of milliseconds since the epoch), so our Instant field writes the same zig-zag varint.
 */
class ConfluentVectorsTest {
    private static final ConfluentVectors VECTORS = ConfluentVectors.load();

    static List<ConfluentVectors.Vector> vectors() {
        return VECTORS.vectors();
    }

    private static InMemorySchemaRegistry registryHoldingAccessEventAtConfluentsId() {
        var registry = new InMemorySchemaRegistry();
        var id = registry.register(VECTORS.subject(), AccessEvent.getClassSchema());
        assertThat(id).as("the vectors' schema id").isEqualTo(VECTORS.schemaId());
        return registry;
    }

    @Test
    void coversNullOptionalsAndEveryFieldSet() {
        assertThat(VECTORS.vectors()).extracting(ConfluentVectors.Vector::name)
                .contains("required-only", "all-set");
        var allSet = VECTORS.vectors().stream().filter(v -> v.name().equals("all-set")).findFirst().orElseThrow().value();
        for (var field : AccessEvent.getClassSchema().getFields()) {
            assertThat(allSet.get(field.pos())).as(field.name()).isNotNull();
        }
        assertThat(allSet.getFields()).isNotEmpty();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("vectors")
    void decodesConfluentBytesToTheSameValue(ConfluentVectors.Vector vector) {
        var deserializer = new AvroDeserializer<AccessEvent>(registryHoldingAccessEventAtConfluentsId(), AccessEvent.getClassSchema());

        var decoded = deserializer.deserialize(VECTORS.topic(), vector.bytes());

        assertThat(decoded).isEqualTo(vector.value());
        assertThat(decoded.toString()).isEqualTo(vector.value().toString());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("vectors")
    void writesTheSameBytesAsConfluent(ConfluentVectors.Vector vector) {
        var serializer = new AvroSerializer<AccessEvent>(registryHoldingAccessEventAtConfluentsId(), AccessEvent.getClassSchema(), false);

        var bytes = serializer.serialize(VECTORS.topic(), vector.value());

        assertThat(HexFormat.of().formatHex(bytes)).isEqualTo(HexFormat.of().formatHex(vector.bytes()));
    }
}
