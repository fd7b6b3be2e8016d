package io.breachwatch.incident;

import io.breachwatch.metrics.MetricNames;
import io.breachwatch.schema.AccessEvent;
import io.breachwatch.schema.Incident;
import io.breachwatch.schema.IncidentStatus;
import io.breachwatch.schema.Severity;
import io.breachwatch.topology.TopologyHarness;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static io.breachwatch.topology.TopologyHarness.denied;
import static io.breachwatch.topology.TopologyHarness.export;
import static io.breachwatch.topology.TopologyHarness.minutes;
import static org.assertj.core.api.Assertions.assertThat;

class ExfiltrationChainTest {

    private static List<AccessEvent> deniedBurst(String user, double startMinute, int count) {
        var out = new ArrayList<AccessEvent>();
        for (int i = 0; i < count; i++) {
            out.add(denied(user, minutes(startMinute + i * 0.2)));
        }
        return out;
    }

    private static List<AccessEvent> exports(String user, double startMinute, int count, long records) {
        var out = new ArrayList<AccessEvent>();
        for (int i = 0; i < count; i++) {
            out.add(export(user, minutes(startMinute + i), records));
        }
        return out;
    }

    private static List<Incident> ofRule(List<Incident> incidents, String rule) {
        return incidents.stream().filter(i -> i.getRuleId().equals(rule)).toList();
    }

    @Test
    void deniedBurstThenBulkExportYieldsOneCriticalChainReferencingBoth() {
        try (var h = TopologyHarness.start()) {
            var incidents = h.send(deniedBurst("mallory", 0, 30))
                    .send(exports("mallory", 120, 6, 5_000))
                    .send(exports("bob", 400, 1, 1)) // later traffic: stream time passes the update interval
                    .incidents();

            var denied = ofRule(incidents, "access-denied-burst");
            var bulk = ofRule(incidents, "bulk-export");
            var chain = ofRule(incidents, ExfiltrationChain.RULE);
            assertThat(denied).extracting(Incident::getIncidentId).containsOnly(denied.get(0).getIncidentId());
            assertThat(bulk).isNotEmpty();
            assertThat(chain).extracting(Incident::getIncidentId).containsOnly(chain.get(0).getIncidentId());
            var last = chain.get(chain.size() - 1);
            assertThat(last.getSeverity()).isEqualTo(Severity.CRITICAL);
            assertThat(last.getUserId()).isEqualTo("mallory");
            assertThat(last.getRelatedIncidentIds()).containsExactly(denied.get(0).getIncidentId(), bulk.get(0).getIncidentId());
            assertThat(last.getSummary()).contains("access-denied-burst").contains("bulk-export").contains("mallory");
            assertThat(h.counter(MetricNames.INCIDENTS_EMITTED, "rule", ExfiltrationChain.RULE)).isEqualTo(1);
            assertThat(h.incidentStore().get(last.getIncidentId())).isEqualTo(last);
        }
    }

    @Test
    void exportLongAfterTheAbuseIsNoChain() {
        try (var h = TopologyHarness.start(Map.of("detect.exfiltration-chain.within", "1h"))) {
            var incidents = h.send(deniedBurst("mallory", 0, 30)).send(exports("mallory", 180, 6, 5_000)).incidents();

            assertThat(ofRule(incidents, "bulk-export")).isNotEmpty();
            assertThat(ofRule(incidents, ExfiltrationChain.RULE)).isEmpty();
        }
    }

    @Test
    void exportWithoutPriorAbuseOrByAnotherUserIsNoChain() {
        try (var h = TopologyHarness.start()) {
            var incidents = h.send(exports("alice", 0, 6, 5_000))
                    .send(deniedBurst("mallory", 10, 30))
                    .send(exports("bob", 20, 6, 5_000))
                    .incidents();

            assertThat(ofRule(incidents, "bulk-export")).extracting(Incident::getUserId).containsOnly("alice", "bob");
            assertThat(ofRule(incidents, ExfiltrationChain.RULE)).isEmpty();
        }
    }

    @Test
    void allowlistedIncidentIsEmittedSuppressedAndCounted() {
        try (var h = TopologyHarness.start(Map.of("allowlist.entries", "acme:etl:bulk-export:*"))) {
            var incidents = h.send(exports("etl", 0, 6, 5_000)).send(exports("alice", 0, 6, 5_000)).incidents();

            var etl = incidents.stream().filter(i -> i.getUserId().equals("etl")).toList();
            var alice = incidents.stream().filter(i -> i.getUserId().equals("alice")).toList();
            assertThat(etl).isNotEmpty().allMatch(i -> i.getStatus() == IncidentStatus.SUPPRESSED);
            assertThat(alice).isNotEmpty().noneMatch(i -> i.getStatus() == IncidentStatus.SUPPRESSED);
            assertThat(h.counter(MetricNames.INCIDENTS_SUPPRESSED, "rule", "bulk-export")).isEqualTo(etl.size());
        }
    }
}
