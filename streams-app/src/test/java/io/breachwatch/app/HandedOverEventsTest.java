package io.breachwatch.app;

import io.breachwatch.config.Settings;
import io.breachwatch.schema.AccessEvent;
import io.breachwatch.schema.Action;
import io.breachwatch.serde.InMemorySchemaRegistry;
import io.breachwatch.topology.BreachwatchTopology;
import io.breachwatch.topology.TopologyConfig;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.streams.TopologyTestDriver;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class HandedOverEventsTest {
    private static AccessEvent event(String id) {
        return AccessEvent.newBuilder().setEventId(id).setTimestamp(Instant.ofEpochMilli(1_000)).setTenantId("t")
                .setUserId("u").setAction(Action.VIEW).setRecordCount(1).build();
    }

    @Test
    void eachRecordTakesTheEventQueuedWithItAndNamesItsLine() {
        var handedOver = new HandedOverEvents();
        var first = handedOver.add(3, event("a"));
        var second = handedOver.add(7, event("b"));

        assertThat(handedOver.deserialize("in", first).getEventId()).isEqualTo("a");
        assertThat(handedOver.deserialize("in", second).getEventId()).isEqualTo("b");
        handedOver.checkDrained();
        assertThat(HandedOverEvents.lineOf(second)).isEqualTo(7);
        assertThat(HandedOverEvents.lineOf(new byte[] {1, 2})).isEqualTo(-1);
    }

    @Test
    void aRecordOutOfStepFailsTheReplayInsteadOfPairingAnotherEvent() {
        var handedOver = new HandedOverEvents();
        handedOver.add(1, event("a"));
        var second = handedOver.add(2, event("b"));

        assertThat(handedOver.deserialize("in", second)).isNull();
        assertThatThrownBy(handedOver::checkDrained).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("out of step").hasMessageContaining("the event of line 1 met another record");
    }

    @Test
    void eventsLeftBehindByABatchFailTheReplay() {
        var handedOver = new HandedOverEvents();
        handedOver.add(1, event("a"));

        assertThatThrownBy(handedOver::checkDrained).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("1 events were queued but never processed");
    }

    /**
     * The reader validates what it hands over ({@link io.breachwatch.topology.ValidatedEvents}): the decode step lets
     * an event through that it would refuse from any other deserializer.
     */
    @Test
    void theDecodeStepLeavesTheValidationOfHandedOverEventsToTheReader(@TempDir Path stateDir) {
        var invalid = event("negative");
        invalid.setRecordCount(-1);
        var handedOver = new HandedOverEvents();

        assertThat(deadLettered(handedOver, handedOver.add(1, invalid), stateDir.resolve("a"))).as("handed over").isFalse();
        handedOver.checkDrained();
        assertThat(deadLettered((topic, data) -> invalid, new byte[] {1}, stateDir.resolve("b"))).as("any other").isTrue();
    }

    /** Whether the single-task topology reading values with {@code input} sends the record of {@code value} to the dead-letter topic. */
    private static boolean deadLettered(Deserializer<AccessEvent> input, byte[] value, Path stateDir) {
        var config = TopologyConfig.from(Settings.empty());
        var topology = BreachwatchTopology.buildSingleTask(config, new InMemorySchemaRegistry(), new SimpleMeterRegistry(), input);
        try (var driver = new TopologyTestDriver(topology, ReplayCommand.driverProperties(stateDir))) {
            driver.createInputTopic(config.inputTopic(), new ByteArraySerializer(), new ByteArraySerializer()).pipeInput(new byte[] {1}, value);
            return !driver.createOutputTopic(config.dlqTopic(), new ByteArrayDeserializer(), new ByteArrayDeserializer()).isEmpty();
        }
    }
}
