package io.breachwatch.detect;

import io.breachwatch.schema.Action;
import io.breachwatch.schema.Severity;
import io.breachwatch.topology.TopologyHarness;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static io.breachwatch.topology.TopologyHarness.event;
import static io.breachwatch.topology.TopologyHarness.export;
import static io.breachwatch.topology.TopologyHarness.minutes;
import static org.assertj.core.api.Assertions.assertThat;

/** bulk-export with its defaults: 1 h windows, threshold 10,000 records. */
class BulkExportDetectorTest {

    @Test
    void firesWithPlainLanguageSummaryOnDefaultThreshold() {
        try (var h = TopologyHarness.start()) {
            var incidents = h.send(
                    export("u-123", minutes(5), 4_000),
                    event("u-123", minutes(20)).setAction(Action.BULK_API).setRecordCount(4_000).build(),
                    event("u-123", minutes(41)).setAction(Action.REPORT_RUN).setRecordCount(4_400)
                            .setFields(List.of("name", "mobile", "id_card_number")).build()).incidents().stream()
                    .filter(i -> i.getRuleId().equals(BulkExportDetector.RULE)).toList();

            assertThat(incidents).hasSize(1);
            var incident = incidents.get(0);
            assertThat(incident.getSummary()).isEqualTo(
                    "User u-123 of tenant acme exported 12,400 records in 1 h (threshold 10,000) between 10:05 and 10:41 UTC.");
            assertThat(incident.getType()).isEqualTo("bulk_export");
            assertThat(incident.getSeverity()).isEqualTo(Severity.HIGH);
            assertThat(incident.getTenantId()).isEqualTo("acme");
            assertThat(incident.getUserId()).isEqualTo("u-123");
            assertThat(incident.getSourceIp()).isNull();
            assertThat(incident.getRecordCount()).isEqualTo(12_400);
            assertThat(incident.getAffectedIndividuals()).isEqualTo(12_400);
            assertThat(incident.getPiCategories()).containsExactly("basic_identity", "contact", "specific_identity");
            assertThat(incident.getSensitivePi()).isTrue();
            assertThat(incident.getObligations()).extracting(o -> o.getCode() + "=" + o.getApplies())
                    .containsExactly("PIPL_57_AUTHORITY=yes", "PIPL_57_INDIVIDUALS=assess", "CAC_INCIDENT_REPORT=no");
        }
    }

    @Test
    void ignoresReadsAndUpdates() {
        try (var h = TopologyHarness.start()) {
            h.send(event("u-1", minutes(1)).setRecordCount(50_000).build(),
                    event("u-1", minutes(2)).setAction(Action.UPDATE).setRecordCount(50_000).build());

            assertThat(h.incidents()).isEmpty();
        }
    }

    @Test
    void raisesSeverityAtTenTimesTheThreshold() {
        try (var h = TopologyHarness.start(Map.of("detect.bulk-export.threshold", "100"))) {
            var incidents = h.send(export("u-1", minutes(1), 150), export("u-1", minutes(2), 1_000)).incidents();

            assertThat(incidents).extracting(i -> i.getSeverity()).containsExactly(Severity.HIGH, Severity.CRITICAL);
            assertThat(incidents).extracting(i -> i.getRevision()).containsExactly(1, 2);
        }
    }
}
