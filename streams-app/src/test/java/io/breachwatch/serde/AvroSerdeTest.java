package io.breachwatch.serde;

import io.breachwatch.schema.AccessEvent;
import io.breachwatch.schema.Action;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.kafka.common.errors.SerializationException;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class AvroSerdeTest {
    private static final String TOPIC = "crm.access-events";
    private static final Schema V2 = AccessEvent.getClassSchema();
    private static final AccessEvent ALL_SET = vector("all-set");

    private final InMemorySchemaRegistry registry = new InMemorySchemaRegistry();
    private final AvroSerializer<AccessEvent> serializer = new AvroSerializer<>(registry, V2, false);
    private final AvroDeserializer<AccessEvent> deserializer = new AvroDeserializer<>(registry, V2);

    private static AccessEvent vector(String name) {
        return ConfluentVectors.load().vectors().stream().filter(v -> v.name().equals(name)).findFirst().orElseThrow().value();
    }

    @Test
    void roundTripsThroughTheKafkaSerde() {
        try (var serde = AvroSerde.<AccessEvent>forValues(registry, V2)) {
            var bytes = serde.serializer().serialize(TOPIC, ALL_SET);
            assertThat(serde.deserializer().deserialize(TOPIC, bytes)).isEqualTo(ALL_SET);
        }
    }

    @Test
    void registersUnderTheTopicNameSubject() {
        serializer.serialize(TOPIC, ALL_SET);
        new AvroSerializer<AccessEvent>(registry, V2, true).serialize(TOPIC, ALL_SET);

        assertThat(registry.versions("crm.access-events-value")).containsExactly(1);
        assertThat(registry.versions("crm.access-events-key")).containsExactly(1);
    }

    @Test
    void nullIsNullBothWays() {
        assertThat(serializer.serialize(TOPIC, null)).isNull();
        assertThat(deserializer.deserialize(TOPIC, null)).isNull();
    }

    @Test
    void unknownSchemaIdIsASerializationExceptionNamingTheId() {
        var bytes = serializer.serialize(TOPIC, ALL_SET);
        ByteBuffer.wrap(bytes).putInt(1, 4242);

        assertThatThrownBy(() -> deserializer.deserialize(TOPIC, bytes))
                .isInstanceOf(SerializationException.class)
                .hasMessageContaining("Unknown schema id 4242")
                .hasMessageContaining(TOPIC);
    }

    @Test
    void wrongMagicByteIsASerializationException() {
        var bytes = serializer.serialize(TOPIC, ALL_SET);
        bytes[0] = 1;

        assertThatThrownBy(() -> deserializer.deserialize(TOPIC, bytes))
                .isInstanceOf(SerializationException.class)
                .hasMessageContaining("Unknown magic byte 1")
                .hasMessageContaining("Confluent wire format");
    }

    @Test
    void plainJsonIsNotTakenForAvro() {
        var json = "{\"event_id\":\"e1\"}".getBytes(java.nio.charset.StandardCharsets.UTF_8);

        assertThatThrownBy(() -> deserializer.deserialize(TOPIC, json))
                .isInstanceOf(SerializationException.class)
                .hasMessageContaining("Unknown magic byte 123");
    }

    @Test
    void bytesShorterThanTheHeaderAreASerializationException() {
        assertThatThrownBy(() -> deserializer.deserialize(TOPIC, new byte[]{0, 0, 1}))
                .isInstanceOf(SerializationException.class)
                .hasMessageContaining("3 bytes, need at least 5");
    }

    @Test
    void truncatedBodyIsASerializationExceptionNamingSchemaAndId() {
        var bytes = serializer.serialize(TOPIC, ALL_SET);
        var truncated = Arrays.copyOf(bytes, bytes.length - 10);

        assertThatThrownBy(() -> deserializer.deserialize(TOPIC, truncated))
                .isInstanceOf(SerializationException.class)
                .hasMessageContaining("Cannot read io.breachwatch.schema.AccessEvent with writer schema id 1")
                .hasMessageContaining(TOPIC);
    }

    @Test
    void garbageBodyIsASerializationException() {
        var bytes = serializer.serialize(TOPIC, ALL_SET);
        Arrays.fill(bytes, 5, bytes.length, (byte) 0xff);

        assertThatThrownBy(() -> deserializer.deserialize(TOPIC, bytes))
                .isInstanceOf(SerializationException.class)
                .hasMessageContaining("writer schema id 1");
    }

    @Test
    void trailingBytesAreASerializationException() {
        var bytes = serializer.serialize(TOPIC, ALL_SET);
        var longer = Arrays.copyOf(bytes, bytes.length + 2);

        assertThatThrownBy(() -> deserializer.deserialize(TOPIC, longer))
                .isInstanceOf(SerializationException.class)
                .hasMessageContaining("Trailing bytes");
    }

    @Test
    void registryOutageIsNotMistakenForBadBytes() {
        var bytes = serializer.serialize(TOPIC, ALL_SET);
        var failing = new SchemaRegistryClient() {
            @Override
            public int register(String subject, Schema schema) {
                throw new UnsupportedOperationException();
            }

            @Override
            public Schema schemaById(int id) {
                throw new RegistryException("http://registry:8081/schemas/ids/" + id, 503, 0, "unavailable");
            }
        };

        assertThatThrownBy(() -> new AvroDeserializer<AccessEvent>(failing, V2).deserialize(TOPIC, bytes))
                .isInstanceOf(RegistryException.class)
                .isNotInstanceOf(SerializationException.class)
                .hasMessageContaining("HTTP 503");
    }

    @Test
    void registrationFailureIsASerializationExceptionNamingTopicAndSchema() {
        var refusing = new SchemaRegistryClient() {
            @Override
            public int register(String subject, Schema schema) {
                throw new RegistryException("http://registry:8081/subjects/" + subject + "/versions", 409, 409, "incompatible schema");
            }

            @Override
            public Schema schemaById(int id) {
                throw new UnsupportedOperationException();
            }
        };

        assertThatThrownBy(() -> new AvroSerializer<AccessEvent>(refusing, V2, false).serialize(TOPIC, ALL_SET))
                .isInstanceOf(SerializationException.class)
                .hasMessageContaining("io.breachwatch.schema.AccessEvent")
                .hasMessageContaining("topic " + TOPIC)
                .hasMessageContaining("HTTP 409");
    }

    @Test
    void v1EventReadByV2ReaderGetsTheNewFieldsDefaults() {
        var v1 = AccessEventVersions.v1();
        var bytes = AccessEventVersions.wireFormat(registry.register("crm.access-events-value", v1), AccessEventVersions.v1Export(v1));

        var read = deserializer.deserialize(TOPIC, bytes);

        assertV1ExportWithDefaults(read);
    }

    /** What a v2 reader sees of {@link AccessEventVersions#v1Export}: its values, and defaults for the later fields. */
    static void assertV1ExportWithDefaults(AccessEvent read) {
        assertThat(read.getEventId()).isEqualTo("evt-v1");
        assertThat(read.getTimestamp()).isEqualTo(java.time.Instant.ofEpochMilli(1767225600000L));
        assertThat(read.getUserRole()).isEqualTo("sales");
        assertThat(read.getAction()).isEqualTo(Action.EXPORT);
        assertThat(read.getRecordCount()).isEqualTo(500L);
        assertThat(read.getFields()).isEmpty();
        assertThat(read.getDestination()).isNull();
        assertThat(read.getDestinationCountry()).isNull();
        assertThat(read.getBytes()).isNull();
    }

    @Test
    void actionUnknownToTheReaderFallsBackToTheEnumDefault() {
        var v3 = AccessEventVersions.withActionSymbol("SCREEN_CAPTURE");
        var event = new GenericData.Record(v3);
        event.put("event_id", "evt-v3");
        event.put("timestamp", 0L);
        event.put("tenant_id", "t");
        event.put("user_id", "u");
        event.put("action", new GenericData.EnumSymbol(v3.getField("action").schema(), "SCREEN_CAPTURE"));
        event.put("outcome", new GenericData.EnumSymbol(v3.getField("outcome").schema(), "SUCCESS"));
        event.put("record_count", 1L);
        event.put("fields", List.of());

        var read = deserializer.deserialize(TOPIC, AccessEventVersions.wireFormat(registry.register("crm.access-events-value", v3), event));

        assertThat(read.getAction()).isEqualTo(Action.OTHER);
        assertThat(read.getEventId()).isEqualTo("evt-v3");
    }
}
