package io.breachwatch.incident;

import io.breachwatch.detect.Finding;
import io.breachwatch.metrics.MetricNames;
import io.breachwatch.config.ConfigException;
import io.breachwatch.schema.Incident;
import io.breachwatch.schema.IncidentStatus;
import io.breachwatch.schema.Severity;
import io.breachwatch.topology.TopologyHarness;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Map;

import static io.breachwatch.topology.TopologyHarness.export;
import static io.breachwatch.topology.TopologyHarness.minutes;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

class IncidentStageTest {
    private static final Map<String, String> SMALL = TopologyHarness.only(Map.of(
            "detect.bulk-export.window", "10m", "detect.bulk-export.advance", "1m", "detect.bulk-export.grace", "1m",
            "detect.bulk-export.threshold", "100", "incident.retention", "1h", "incident.resolve-after", "30m", "detect.exfiltration-chain.within", "1h"),
            "bulk-export", "exfiltration-chain");
    /** As SMALL, with the default incident.resolve-after (24h) and a retention beyond it. */
    private static final Map<String, String> LIFECYCLE = TopologyHarness.only(Map.of(
            "detect.bulk-export.window", "10m", "detect.bulk-export.advance", "1m", "detect.bulk-export.grace", "1m",
            "detect.bulk-export.threshold", "100", "incident.retention", "2d"), "bulk-export");

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
    void theLastSmallChangeIsEmittedOnTheWallClockWhenTheTrafficPauses() {
        try (var h = TopologyHarness.start(SMALL)) {
            for (int i = 0; i < 10; i++) {
                h.send(export("u-1", minutes(1 + i / 10.0), 11)); // the tenth crosses the threshold: 110 records in 10 events
            }
            var opened = h.send(export("u-1", minutes(2), 5)).incidents();
            assertThat(opened).as("115 records in 11 events are no material growth over 110 in 10: held for the update tick")
                    .extracting(Incident::getRevision, Incident::getObserved).containsExactly(tuple(1, 110.0));

            h.driver.advanceWallClockTime(Duration.ofMinutes(4));
            assertThat(h.incidents()).as("less than incident.update-interval (5m) of wall-clock time").isEmpty();

            h.driver.advanceWallClockTime(Duration.ofMinutes(1));
            var flushed = h.incidents();

            assertThat(flushed).extracting(Incident::getRevision, Incident::getObserved, Incident::getStatus)
                    .containsExactly(tuple(2, 115.0, IncidentStatus.UPDATED));
            assertThat(flushed.get(0).getDetectedAt()).as("stamped with the stream time, not the wall clock").isEqualTo(minutes(2));
            h.driver.advanceWallClockTime(Duration.ofMinutes(5));
            assertThat(h.incidents()).as("nothing pending: nothing emitted again").isEmpty();
        }
    }

    @Test
    void incidentGoesNewUpdatedResolvedWhileOtherUsersKeepTrafficFlowing() {
        try (var h = TopologyHarness.start(LIFECYCLE)) {
            var open = h.send(export("u-1", minutes(1), 101), export("u-1", minutes(2), 50)).incidentRecords();
            var id = open.get(0).key();

            quietTraffic(h, "u-2", 60, 23 * 60);
            assertThat(h.incidents()).as("quiet for less than 24h: still open").isEmpty();

            quietTraffic(h, "u-2", 24 * 60, 25 * 60);
            var resolved = h.incidentRecords();

            assertThat(open).extracting(r -> r.key()).containsOnly(id);
            assertThat(open).extracting(r -> r.value().getStatus()).containsExactly(IncidentStatus.NEW, IncidentStatus.UPDATED);
            assertThat(resolved).hasSize(1);
            assertThat(resolved.get(0).key()).isEqualTo(id);
            var last = resolved.get(0).value();
            assertThat(last.getStatus()).isEqualTo(IncidentStatus.RESOLVED);
            assertThat(last.getRevision()).as("revisions strictly increase").isEqualTo(3);
            assertThat(last.getObserved()).isEqualTo(151.0);
            assertThat(last.getDetectedAt()).as("the first stream time at least 24h after last_seen (minute 2)").isEqualTo(minutes(25 * 60));
            assertThat(h.incidentStore().get(id).getStatus()).isEqualTo(IncidentStatus.RESOLVED);
            assertThat(h.counter(MetricNames.INCIDENTS_RESOLVED, "rule", "bulk-export")).isEqualTo(1);
        }
    }

    @Test
    void activityAfterResolutionOpensANewIncident() {
        try (var h = TopologyHarness.start(LIFECYCLE)) {
            var first = h.send(export("u-1", minutes(1), 101)).incidents().get(0);
            quietTraffic(h, "u-2", 60, 25 * 60);
            assertThat(h.incidents()).extracting(Incident::getStatus).containsExactly(IncidentStatus.RESOLVED);

            var again = h.send(export("u-1", minutes(26 * 60), 101)).incidents();

            assertThat(again).hasSize(1);
            assertThat(again.get(0).getIncidentId()).isNotEqualTo(first.getIncidentId());
            assertThat(again.get(0).getRevision()).isEqualTo(1);
            assertThat(again.get(0).getStatus()).isEqualTo(IncidentStatus.NEW);
            assertThat(h.incidentStore().get(first.getIncidentId()).getRevision()).as("the resolved one is never revised").isEqualTo(2);
        }
    }

    @Test
    void suppressedIncidentIsNotResolved() {
        var settings = new java.util.HashMap<>(LIFECYCLE);
        settings.put("allowlist.entries", "acme:u-1:bulk-export:*");
        try (var h = TopologyHarness.start(settings)) {
            h.send(export("u-1", minutes(1), 101));
            quietTraffic(h, "u-2", 60, 25 * 60);

            assertThat(h.incidents()).extracting(Incident::getStatus).containsExactly(IncidentStatus.SUPPRESSED);
        }
    }

    @Test
    void resolveAfterMustBeShorterThanRetention() {
        var settings = new java.util.HashMap<>(LIFECYCLE);
        settings.put("incident.resolve-after", "2d");

        assertThatThrownBy(() -> TopologyHarness.start(settings)).isInstanceOf(ConfigException.class)
                .hasMessageContaining("incident.resolve-after").hasMessageContaining("incident.retention");
    }

    /** One small export (below every threshold) by {@code user} each hour from minute {@code from} to {@code to}. */
    static void quietTraffic(TopologyHarness h, String user, int from, int to) {
        for (int m = from; m <= to; m += 60) {
            h.send(export(user, minutes(m), 1));
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
