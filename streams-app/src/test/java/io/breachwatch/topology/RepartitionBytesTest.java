package io.breachwatch.topology;

import io.breachwatch.schema.AccessEvent;
import io.breachwatch.serde.AccessEventVersions;
import io.breachwatch.serde.WireFormat;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.Map;

import static io.breachwatch.topology.TopologyHarness.export;
import static io.breachwatch.topology.TopologyHarness.minutes;
import static org.assertj.core.api.Assertions.assertThat;

/** The entity repartition topics carry each event's original input bytes, which are decoded again downstream. */
class RepartitionBytesTest {

    @Test
    void olderWriterSchemaEventTravelsUnchangedAndIsResolvedDownstream() {
        try (var h = TopologyHarness.start(TopologyHarness.only(Map.of("detect.bulk-export.threshold", "100"), "bulk-export"))) {
            var v1 = AccessEventVersions.v1();
            var v1Id = h.registry.register(WireFormat.subject(h.config.inputTopic(), false), v1);
            var first = AccessEventVersions.wireFormat(v1Id, asWrittenBy(v1, export("u-1", minutes(1), 60)));
            var second = AccessEventVersions.wireFormat(v1Id, asWrittenBy(v1, export("u-1", minutes(2), 70)));
            var byUser = h.driver.createOutputTopic("breachwatch-test-events-by-user-repartition",
                    new StringDeserializer(), new ByteArrayDeserializer());

            h.sendRaw("acme/u-1".getBytes(), first).sendRaw("acme/u-1".getBytes(), second);

            assertThat(byUser.readValuesToList()).containsExactly(first, second);
            var incidents = h.incidents();
            assertThat(incidents).hasSize(1);
            assertThat(incidents.get(0).getRecordCount()).isEqualTo(130);
            assertThat(h.deadLetters()).isEmpty();
        }
    }

    /** {@code event} as a writer with the older schema {@code writer} holds it: only the fields that schema has. */
    private static GenericRecord asWrittenBy(Schema writer, AccessEvent event) {
        var record = new GenericData.Record(writer);
        for (var field : writer.getFields()) {
            var value = event.get(field.name());
            record.put(field.name(), value instanceof Instant t ? t.toEpochMilli()
                    : value instanceof Enum<?> e ? new GenericData.EnumSymbol(field.schema(), e.name()) : value);
        }
        return record;
    }
}
