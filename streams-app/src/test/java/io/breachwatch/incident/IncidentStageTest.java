package io.breachwatch.incident;

import io.breachwatch.detect.Finding;
import io.breachwatch.metrics.MetricNames;
import io.breachwatch.schema.Severity;
import io.breachwatch.topology.TopologyHarness;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static io.breachwatch.topology.TopologyHarness.export;
import static io.breachwatch.topology.TopologyHarness.minutes;
import static org.assertj.core.api.Assertions.assertThat;

class IncidentStageTest {
    private static final Map<String, String> SMALL = TopologyHarness.only(Map.of(
            "detect.bulk-export.window", "10m", "detect.bulk-export.advance", "1m", "detect.bulk-export.grace", "1m",
            "detect.bulk-export.threshold", "100", "incident.retention", "1h", "detect.exfiltration-chain.within", "1h"),
            "bulk-export", "exfiltration-chain");

    @Test
    void incidentIdIsRulePlusShortHash() {
        var id = IncidentIds.of("bulk-export", "acme/u-1", 1_000L);

        assertThat(id).matches("bulk-export-[0-9a-f]{20}").isEqualTo(IncidentIds.of("bulk-export", "acme/u-1", 1_000L));
        assertThat(id).isNotEqualTo(IncidentIds.of("bulk-export", "acme/u-2", 1_000L));
    }

    @Test
    void severityRisesOneLevelAtTenTimesTheThreshold() {
        assertThat(Incidents.severity(Severity.MEDIUM, 999, 100)).isEqualTo(Severity.MEDIUM);
        assertThat(Incidents.severity(Severity.MEDIUM, 1_000, 100)).isEqualTo(Severity.HIGH);
        assertThat(Incidents.severity(Severity.CRITICAL, 5_000, 100)).isEqualTo(Severity.CRITICAL);
        assertThat(Incidents.severity(Severity.HIGH, 5_000, 0)).as("zero threshold: any record fires, no escalation").isEqualTo(Severity.HIGH);
    }

    @Test
    void growingBurstIsRevisedAndCounted() {
        try (var h = TopologyHarness.start(SMALL)) {
            var incidents = h.send(export("u-1", minutes(1), 101), export("u-1", minutes(2), 50), export("u-1", minutes(3), 0))
                    .incidents();

            assertThat(incidents).extracting(i -> i.getRevision()).containsExactly(1, 2);
            assertThat(incidents.get(1).getStatus().name()).isEqualTo("UPDATED");
            assertThat(incidents.get(1).getObserved()).isEqualTo(151.0);
            assertThat(h.counter(MetricNames.INCIDENTS_EMITTED, "rule", "bulk-export", "severity", "HIGH")).isEqualTo(1);
            assertThat(h.counter(MetricNames.INCIDENTS_REVISED, "rule", "bulk-export", "severity", "HIGH")).isEqualTo(1);
            assertThat(h.meters.find(MetricNames.DETECTION_LATENCY).tag("rule", "bulk-export").timer().count()).isEqualTo(2);
            assertThat(h.meters.find(MetricNames.INGEST_LATENCY).tag("rule", "bulk-export").timer().count()).isEqualTo(2);
        }
    }

    @Test
    void purgesIncidentsAndCasesOnceRetentionHasPassed() {
        try (var h = TopologyHarness.start(SMALL)) {
            var id = h.send(export("u-1", minutes(1), 101)).incidents().get(0).getIncidentId();
            h.send(export("u-2", minutes(50), 1));
            assertThat(h.incidentStore().get(id)).as("within retention").isNotNull();

            h.send(export("u-2", minutes(90), 1));

            assertThat(h.incidentStore().get(id)).isNull();
            assertThat(h.caseStore().get(Finding.caseKey("bulk-export", "acme/u-1"))).isNull();
        }
    }
}
