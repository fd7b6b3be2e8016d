package io.breachwatch.topology;

import io.breachwatch.config.Settings;
import io.breachwatch.serde.InMemorySchemaRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class BreachwatchTopologyTest {

    @Test
    void namesEveryStoreAndInternalTopic() {
        var description = BreachwatchTopology.build(TopologyConfig.from(Settings.empty()), new InMemorySchemaRegistry(),
                new SimpleMeterRegistry()).describe().toString();

        assertThat(description).doesNotContain("KSTREAM-", "KTABLE-", "STATE-STORE-0");
        assertThat(description).contains("events-by-user-repartition", "events-by-source-ip-repartition", "bulk-export-windows",
                "credential-stuffing-windows", "incidents", "incident-cases", "crm.access-events.dlq", "crm.incidents",
                "crm.breach-notices", "breach-notices-issued");
    }

    /**
     * Quiet incidents are resolved on the stream time of the incident stage's task: that task must be the one that
     * reads the input and every entity repartition topic, so any event on its partition moves it (not a task of its
     * own that only sees findings). Reading the input there is also what lets an event already in its entity's
     * task skip the repartition topic.
     */
    @Test
    void incidentAndNoticeStagesRunInTheTaskThatReadsTheEvents() {
        var config = TopologyConfig.from(Settings.empty());
        var topology = BreachwatchTopology.build(config, new InMemorySchemaRegistry(), new SimpleMeterRegistry(), 4).describe();

        var stage = topology.subtopologies().stream()
                .filter(s -> s.nodes().stream().anyMatch(n -> n.name().equals("incident-builder")))
                .findFirst().orElseThrow();
        var sources = stage.nodes().stream().filter(n -> n instanceof org.apache.kafka.streams.TopologyDescription.Source)
                .flatMap(n -> ((org.apache.kafka.streams.TopologyDescription.Source) n).topicSet().stream()).toList();
        assertThat(sources).contains(config.inputTopic(), "events-by-user-repartition", "events-by-source-ip-repartition");
        assertThat(stage.nodes()).extracting(org.apache.kafka.streams.TopologyDescription.Node::name)
                .contains("notice-builder", "notices-sink", "incidents-sink");
    }

    @Test
    void buildsWithNoRuleEnabled() {
        var settings = Settings.of(TopologyHarness.only(java.util.Map.of()));
        var description = BreachwatchTopology.build(TopologyConfig.from(settings), new InMemorySchemaRegistry(),
                new SimpleMeterRegistry()).describe().toString();

        assertThat(description).contains("dead-letter-sink").doesNotContain("incidents-sink");
    }
}
