package io.breachwatch.topology;

import io.breachwatch.config.Settings;
import io.breachwatch.schema.AccessEvent;
import io.breachwatch.schema.Incident;
import io.breachwatch.serde.InMemorySchemaRegistry;
import io.breachwatch.sim.SimConfig;
import io.breachwatch.sim.Simulator;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * However events reach their entity's task (each through its entity's repartition topic, straight from the input
 * partition that owns the entity, or in replay's single task), every incident ends the same.
 */
class SingleTaskTopologyTest {
    private static final Map<String, String> IN_MEMORY = Map.of(TopologyConfig.IN_MEMORY_STATE.key(), "true",
            TopologyConfig.CHANGELOG.key(), "false"); // as replay, and quick

    @Test
    void withoutTheEntityRepartitionsTheSameIncidentsEndTheSame() {
        try (var h = TopologyHarness.startSingleTask(IN_MEMORY)) {
            assertEndTheSame(h);
        }
    }

    @Test
    void eventsAlreadyInTheirEntitysTaskEndTheSameIncidentsAsEventsThatMove() {
        try (var h = TopologyHarness.startInPlace(IN_MEMORY)) {
            assertEndTheSame(h);
            assertThat(h.driver.producedTopicNames()).as("nothing moved")
                    .noneMatch(topic -> topic.contains("events-by-user") || topic.contains("events-by-source-ip"));
        }
    }

    private static void assertEndTheSame(TopologyHarness other) {
        var events = week();
        var moved = finalRevisions(movedWeek(events));
        var incidents = finalRevisions(other.send(events).incidents());

        assertThat(moved.values()).extracting(Incident::getRuleId).as("every rule has something to agree on")
                .contains("bulk-export", "record-enumeration", "access-denied-burst", "credential-stuffing", "impossible-travel",
                        "session-hijack", "dormant-account", "export-baseline", "exfiltration-chain");
        assertThat(incidents.keySet()).isEqualTo(moved.keySet());
        // when a punctuation falls between the rules' work on one event differs: so may the revision a change went
        // out in, and that revision's detection time; nothing else
        moved.forEach((id, incident) -> assertThat(comparable(incidents.get(id))).as(id).isEqualTo(comparable(incident)));
    }

    private static List<AccessEvent> week() {
        return new Simulator(SimConfig.of(3, 60, 3, 7)).stream().toList();
    }

    /** The incidents of the simulated week with every event moving through its entity's topic. */
    private static List<Incident> movedWeek(List<AccessEvent> events) {
        try (var h = TopologyHarness.start(IN_MEMORY)) {
            return h.send(events).incidents();
        }
    }

    @Test
    void buildsNoRepartitionTopic() {
        var config = TopologyConfig.from(Settings.empty());
        var live = BreachwatchTopology.build(config, new InMemorySchemaRegistry(), new SimpleMeterRegistry()).describe().toString();
        var singleTask = BreachwatchTopology.buildSingleTask(config, new InMemorySchemaRegistry(), new SimpleMeterRegistry()).describe().toString();

        assertThat(live).contains("events-by-user-repartition", "events-by-source-ip-repartition");
        assertThat(live).contains("export-baseline-to-peers-repartition", "export-baseline-from-peers-repartition");
        assertThat(singleTask).as("one task: nothing moves to another partition").doesNotContain("-repartition")
                .contains(config.inputTopic(), config.incidentsTopic());
    }

    private static Map<String, Incident> finalRevisions(List<Incident> revisions) {
        var out = new HashMap<String, Incident>();
        revisions.forEach(i -> out.merge(i.getIncidentId(), i, (a, b) -> b.getRevision() >= a.getRevision() ? b : a));
        return out;
    }

    private static Incident comparable(Incident incident) {
        return Incident.newBuilder(incident).setRevision(0).setDetectedAt(Instant.EPOCH).build();
    }
}
