package io.breachwatch.serde;

import io.breachwatch.schema.AccessEvent;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.Arrays;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Registry interop: our HTTP client and serde against a real Apicurio Registry 3.3.3 (Confluent-compatible API
 * at /apis/ccompat/v7), started by the test in its own Java 21+ JVM. Skipped, saying why, where no Java 21+ exists.
 */
class ApicurioRegistryIT {
    private static final String TOPIC = "crm.access-events";
    private static final ConfluentVectors VECTORS = ConfluentVectors.load();
    private static ApicurioServer registry;

    private static String unavailable;

    @BeforeAll
    static void startRegistry() {
        unavailable = ApicurioServer.whyUnavailable().map(reason -> "Skipping Apicurio interop: " + reason).orElse(null);
        if (unavailable != null) {
            System.err.println(unavailable);
            return;
        }
        registry = ApicurioServer.start(Path.of("target", "apicurio-it.log"));
        System.out.printf("Apicurio Registry answered on %s after %d ms (log: %s)%n",
                registry.ccompatUrl(), registry.startupTime().toMillis(), registry.log());
    }

    /** Per test rather than in @BeforeAll, so that each test is reported as skipped with the reason. */
    @BeforeEach
    void skipWhenUnavailable() {
        Assumptions.assumeTrue(unavailable == null, () -> unavailable);
    }

    @AfterAll
    static void stopRegistry() {
        if (registry != null) {
            registry.close();
        }
    }

    @Test
    void eventsWrittenWithOneClientAreReadBackByAnotherThroughTheRegistry() {
        var writerClient = new HttpSchemaRegistryClient(registry.ccompatUrl());
        var serializer = new AvroSerializer<AccessEvent>(writerClient, AccessEvent.getClassSchema(), false);
        var readerClient = new HttpSchemaRegistryClient(registry.ccompatUrl());
        var deserializer = new AvroDeserializer<AccessEvent>(readerClient, AccessEvent.getClassSchema());

        for (var vector : VECTORS.vectors()) {
            var bytes = serializer.serialize(TOPIC, vector.value());

            assertThat(deserializer.deserialize(TOPIC, bytes)).as(vector.name()).isEqualTo(vector.value());
            assertThat(body(bytes)).as("Avro body of " + vector.name() + " as Confluent writes it").isEqualTo(body(vector.bytes()));
        }
        var id = ByteBuffer.wrap(serializer.serialize(TOPIC, VECTORS.vectors().get(0).value())).getInt(1);
        assertThat(new HttpSchemaRegistryClient(registry.ccompatUrl()).register(TOPIC + "-value", AccessEvent.getClassSchema()))
                .as("the same schema registered again by a new client keeps its id").isEqualTo(id);
    }

    @Test
    void v1EventRegisteredAtTheRegistryIsReadByTheV2Reader() {
        var v1 = AccessEventVersions.v1();
        var v1Id = new HttpSchemaRegistryClient(registry.ccompatUrl()).register("crm.access-events-v1-value", v1);
        var bytes = AccessEventVersions.wireFormat(v1Id, AccessEventVersions.v1Export(v1));

        var read = new AvroDeserializer<AccessEvent>(new HttpSchemaRegistryClient(registry.ccompatUrl()),
                AccessEvent.getClassSchema()).deserialize(TOPIC, bytes);

        AvroSerdeTest.assertV1ExportWithDefaults(read);
    }

    @Test
    void unknownSchemaIdIsA404WithErrorCode40403() {
        var client = new HttpSchemaRegistryClient(registry.ccompatUrl());

        assertThatThrownBy(() -> client.schemaById(987_654))
                .isInstanceOfSatisfying(RegistryException.class, e -> {
                    assertThat(e.httpStatus()).isEqualTo(404);
                    assertThat(e.errorCode()).isEqualTo(RegistryException.SCHEMA_NOT_FOUND);
                    assertThat(e.url()).isEqualTo(registry.ccompatUrl() + "/schemas/ids/987654");
                });
    }

    private static byte[] body(byte[] wireFormat) {
        return Arrays.copyOfRange(wireFormat, WireFormat.HEADER_SIZE, wireFormat.length);
    }
}
