package io.breachwatch.bench;

import io.breachwatch.embedded.AvroClients;
import io.breachwatch.schema.AccessEvent;
import io.breachwatch.serde.AvroSerde;
import io.breachwatch.serde.InMemorySchemaRegistry;
import io.breachwatch.sim.SimConfig;
import io.breachwatch.sim.Simulator;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class PreparedEventsTest {
    private static final String TOPIC = "bench.latency-input";

    @Test
    void holdsEachEventAsTheRecordTheEventProducerWouldSendWithItsMatchKeys() {
        var registry = new InMemorySchemaRegistry();
        var serde = AvroSerde.<AccessEvent>forValues(registry, AccessEvent.getClassSchema());
        // 60,000 events: past the first growth of the arrays and across 8 MiB chunks
        List<AccessEvent> events = new Simulator(SimConfig.of(3, 500, 3, 7)).stream().limit(60_000).toList();
        var prepared = PreparedEvents.of(events.iterator(), 60_000, TOPIC, AvroClients.eventSerializer(registry));

        assertThat(prepared.size()).isEqualTo(60_000);
        for (int i = 0; i < events.size(); i += 101) {
            var event = events.get(i);
            var record = prepared.record(i);
            var time = event.getTimestamp().toEpochMilli();
            assertThat(record.topic()).isEqualTo(TOPIC);
            assertThat(record.timestamp()).isEqualTo(time);
            assertThat(new String(record.key(), StandardCharsets.UTF_8)).isEqualTo(event.getTenantId() + "/" + event.getUserId());
            assertThat(serde.deserializer().deserialize(TOPIC, record.value())).isEqualTo(event);
            assertThat(prepared.userKey(i)).isEqualTo(SendTimes.hash(event.getTenantId() + "/" + event.getUserId() + "@" + time));
            if (event.getSourceIp() == null) {
                assertThat(prepared.ipKey(i)).isEqualTo(PreparedEvents.NO_KEY);
            } else {
                assertThat(prepared.ipKey(i)).isEqualTo(SendTimes.hash(event.getTenantId() + "/ip:" + event.getSourceIp() + "@" + time));
            }
        }
        assertThat(prepared.bytes()).as("more than one chunk").isGreaterThan(8L << 20);
    }

    @Test
    void stopsAtTheLimitOrWhenTheEventsEnd() {
        var serde = AvroSerde.<AccessEvent>forValues(new InMemorySchemaRegistry(), AccessEvent.getClassSchema());
        var events = new Simulator(SimConfig.of(3, 500, 3, 7)).stream().limit(2_000).toList();

        assertThat(PreparedEvents.of(events.iterator(), 1_500, TOPIC, serde.serializer()).size()).isEqualTo(1_500);
        assertThat(PreparedEvents.of(events.iterator(), 10_000, TOPIC, serde.serializer()).size()).isEqualTo(2_000);
    }
}
