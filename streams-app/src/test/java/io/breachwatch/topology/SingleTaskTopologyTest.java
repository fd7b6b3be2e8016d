package io.breachwatch.topology;

import io.breachwatch.config.Settings;
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

/** replay's topology (no entity repartitions) ends every incident exactly as the live topology does. */
class SingleTaskTopologyTest {

    @Test
    void withoutTheEntityRepartitionsTheSameIncidentsEndTheSame() {
        var events = new Simulator(SimConfig.of(3, 60, 3, 7)).stream().toList();
        var inMemory = Map.of(TopologyConfig.IN_MEMORY_STATE.key(), "true", TopologyConfig.CHANGELOG.key(), "false"); // as replay, and quick
        Map<String, Incident> live;
        Map<String, Incident> singleTask;
        try (var h = TopologyHarness.start(inMemory)) {
            live = finalRevisions(h.send(events).incidents());
        }
        try (var h = TopologyHarness.startSingleTask(inMemory)) {
            singleTask = finalRevisions(h.send(events).incidents());
        }

        assertThat(live.values()).extracting(Incident::getRuleId).as("every rule has something to agree on")
                .contains("bulk-export", "record-enumeration", "access-denied-burst", "credential-stuffing", "impossible-travel",
                        "session-hijack", "dormant-account", "export-baseline", "exfiltration-chain");
        assertThat(singleTask.keySet()).isEqualTo(live.keySet());
        // when a punctuation falls between the rules' work on one event differs: so may the revision a change went
        // out in, and that revision's detection time; nothing else
        live.forEach((id, incident) -> assertThat(comparable(singleTask.get(id))).as(id).isEqualTo(comparable(incident)));
    }

    @Test
    void buildsNoEntityRepartitionTopic() {
        var config = TopologyConfig.from(Settings.empty());
        var live = BreachwatchTopology.build(config, new InMemorySchemaRegistry(), new SimpleMeterRegistry()).describe().toString();
        var singleTask = BreachwatchTopology.buildSingleTask(config, new InMemorySchemaRegistry(), new SimpleMeterRegistry()).describe().toString();

        assertThat(live).contains("events-by-user-repartition", "events-by-source-ip-repartition");
        assertThat(singleTask).doesNotContain("events-by-user-repartition", "events-by-source-ip-repartition")
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
