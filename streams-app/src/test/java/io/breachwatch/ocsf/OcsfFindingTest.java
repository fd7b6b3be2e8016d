package io.breachwatch.ocsf;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.breachwatch.config.Settings;
import io.breachwatch.schema.Baseline;
import io.breachwatch.schema.Incident;
import io.breachwatch.schema.IncidentStatus;
import io.breachwatch.schema.Obligation;
import io.breachwatch.schema.Severity;
import org.apache.kafka.common.header.Headers;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class OcsfFindingTest {
    static final Instant T = Instant.parse("2025-11-03T02:00:00Z");
    private static final OcsfConfig CONFIG = OcsfConfig.from(Settings.of(Map.of("ocsf.enabled", "true", "application.id", "bw-prod")));
    private final OcsfSchemaCheck schema = new OcsfSchemaCheck();

    static Incident.Builder incident(IncidentStatus status) {
        return Incident.newBuilder()
                .setIncidentId("bulk-export-0123456789abcdef0123").setRevision(3).setStatus(status)
                .setRuleId("bulk-export").setType("bulk_export").setSeverity(Severity.HIGH)
                .setTenantId("acme").setUserId("u-7").setSourceIp(null).setEntity("acme/u-7")
                .setFirstSeen(T.minusSeconds(600)).setLastSeen(T.minusSeconds(5))
                .setWindowStart(T.minusSeconds(900)).setWindowEnd(T.plusSeconds(2700)).setDetectedAt(T)
                .setEventCount(4).setRecordCount(12_000).setObserved(12_000).setThreshold(10_000).setBaseline(null)
                .setSummary("User u-7 of tenant acme exported 12,000 records in 1 h (threshold 10,000).")
                .setEvidenceEventIds(List.of("e-1", "e-2"))
                .setPiCategories(List.of("contact"))
                .setAffectedIndividuals(12_000)
                .setObligations(List.of(new Obligation("PIPL_57_AUTHORITY", "yes", "PI of 12,000 people left", T.plusSeconds(4 * 3600).toEpochMilli())))
                .setAttributes(Map.of());
    }

    private static JsonNode json(Incident incident) throws Exception {
        // through text, as consumers see it
        return new ObjectMapper().readTree(new ObjectMapper().writeValueAsString(OcsfFinding.from(incident, CONFIG)));
    }

    @ParameterizedTest(name = "{0} -> activity {1}, status_id {2}")
    @CsvSource({"NEW, 1, 1, true", "UPDATED, 2, 1, true", "RESOLVED, 3, 4, false", "SUPPRESSED, 3, 3, false"})
    void everyStatusMapsToItsActivityAndHasEveryRequiredField(IncidentStatus status, int activity, int statusId, boolean alert) throws Exception {
        var finding = json(incident(status).build());

        assertThat(schema.violations(finding)).isEmpty();
        assertThat(finding.get("activity_id").asInt()).isEqualTo(activity);
        assertThat(finding.get("type_uid").asInt()).isEqualTo(200400 + activity);
        assertThat(finding.get("status_id").asInt()).isEqualTo(statusId);
        assertThat(finding.get("is_alert").asBoolean()).isEqualTo(alert);
        assertThat(finding.get("class_uid").asInt()).isEqualTo(2004);
        assertThat(finding.get("category_uid").asInt()).isEqualTo(2);
    }

    @Test
    void carriesTheIncidentAsFindingInfoActorEvidenceAndMetadata() throws Exception {
        var finding = json(incident(IncidentStatus.NEW).build());

        var info = finding.get("finding_info");
        assertThat(info.get("uid").asText()).isEqualTo("bulk-export-0123456789abcdef0123");
        assertThat(info.get("title").asText()).isEqualTo("Breachwatch bulk-export: bulk export");
        assertThat(info.get("analytic").get("uid").asText()).isEqualTo("bulk-export");
        assertThat(info.get("analytic").get("name").asText()).isEqualTo("bulk-export");
        assertThat(info.get("analytic").get("type").asText()).isEqualTo("Rule");
        assertThat(info.get("first_seen_time").asLong()).isEqualTo(T.minusSeconds(600).toEpochMilli());
        assertThat(info.get("last_seen_time").asLong()).isEqualTo(T.minusSeconds(5).toEpochMilli());
        assertThat(info.get("related_events_count").asLong()).isEqualTo(4);
        assertThat(info.get("types").get(0).asText()).isEqualTo("bulk_export");
        assertThat(finding.get("time").asLong()).isEqualTo(T.toEpochMilli());
        assertThat(finding.get("severity_id").asInt()).isEqualTo(4);
        assertThat(finding.get("severity").asText()).isEqualTo("High");
        assertThat(finding.get("message").asText()).startsWith("User u-7 of tenant acme exported");
        assertThat(finding.get("actor").get("user").get("uid").asText()).isEqualTo("u-7");
        assertThat(finding.has("src_endpoint")).isFalse();
        assertThat(finding.get("evidences")).extracting(e -> e.get("uid").asText()).containsExactly("e-1", "e-2");
        assertThat(finding.has("anomaly_analyses")).as("not a baseline rule").isFalse();
        var metadata = finding.get("metadata");
        assertThat(metadata.get("version").asText()).isEqualTo(schema.version()).isEqualTo(OcsfFinding.SCHEMA_VERSION);
        assertThat(metadata.get("uid").asText()).isEqualTo("bulk-export-0123456789abcdef0123-3");
        assertThat(metadata.get("product").get("name").asText()).isEqualTo("Breachwatch");
        assertThat(metadata.get("product").get("vendor_name").asText()).isEqualTo("Breachwatch");
        var obligation = finding.get("unmapped").get("obligations").get(0);
        assertThat(obligation.get("code").asText()).isEqualTo("PIPL_57_AUTHORITY");
        assertThat(obligation.get("due_at").asLong()).isEqualTo(T.plusSeconds(4 * 3600).toEpochMilli());
        assertThat(finding.get("unmapped").get("tenant_id").asText()).isEqualTo("acme");
    }

    @Test
    void severitiesMapToOcsfSeverityIds() {
        assertThat(List.of(Severity.values())).extracting(OcsfFinding::severityId).containsExactly(2, 3, 4, 5);
    }

    @Test
    void baselineRuleCarriesAnomalyAnalysesWithBaselineAndObservedVolume() throws Exception {
        var incident = incident(IncidentStatus.NEW).setRuleId("export-baseline").setType("abnormal_export").setSeverity(Severity.MEDIUM)
                .setObserved(50_000).setThreshold(2_000).setBaseline(new Baseline(5_000.0, 1_250.5, 14, "own")).build();

        var finding = json(incident);

        assertThat(schema.violations(finding)).isEmpty();
        assertThat(finding.get("finding_info").get("analytic").get("type_id").asInt()).isEqualTo(3);
        var analysis = finding.get("anomaly_analyses").get(0);
        assertThat(analysis.get("analysis_targets").get(0).get("name").asText()).isEqualTo("u-7");
        var baselines = analysis.get("baselines");
        assertThat(baselines.get(0).get("observation_parameter").asText()).isEqualTo("records_exported_per_day_mean");
        assertThat(baselines.get(0).get("observations").get(0).get("value").asText()).isEqualTo("5000");
        assertThat(baselines.get(0).get("observations").get(0).get("count").asInt()).isEqualTo(14);
        assertThat(baselines.get(1).get("observation_parameter").asText()).isEqualTo("records_exported_per_day_stddev");
        assertThat(baselines.get(1).get("observations").get(0).get("value").asText()).isEqualTo("1250.5");
        var anomaly = analysis.get("anomalies").get(0);
        assertThat(anomaly.get("observation_parameter").asText()).isEqualTo("records_exported_per_day");
        assertThat(anomaly.get("observed_pattern").asText()).isEqualTo("HIGH_VOLUME");
        assertThat(anomaly.get("observations").get(0).get("value").asText()).isEqualTo("50000");
        assertThat(finding.get("unmapped").get("baseline").get("source").asText()).isEqualTo("own");
    }

    @Test
    void ipKeyedIncidentHasSourceEndpointAndNoActor() throws Exception {
        var incident = incident(IncidentStatus.NEW).setRuleId("credential-stuffing").setUserId(null)
                .setSourceIp("203.0.113.9").setEntity("acme/203.0.113.9").build();

        var finding = json(incident);

        assertThat(schema.violations(finding)).isEmpty();
        assertThat(finding.get("src_endpoint").get("ip").asText()).isEqualTo("203.0.113.9");
        assertThat(finding.has("actor")).isFalse();
    }

    @Test
    void schemaCheckReportsMissingRequiredFields() throws Exception {
        var finding = (com.fasterxml.jackson.databind.node.ObjectNode) json(incident(IncidentStatus.NEW).build());
        ((com.fasterxml.jackson.databind.node.ObjectNode) finding.get("finding_info")).remove("uid");
        ((com.fasterxml.jackson.databind.node.ObjectNode) finding.get("metadata").get("product")).remove("vendor_name");
        finding.remove("time");
        finding.put("severity_id", 7);

        assertThat(schema.violations(finding)).containsExactlyInAnyOrder(
                "time: required, missing", "finding_info.uid: required, missing",
                "metadata.product.vendor_name: required, missing", "severity_id: 7 is not one of [0,1,2,3,4,5,6,99]");
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({"NEW, created", "UPDATED, updated", "RESOLVED, resolved", "SUPPRESSED, suppressed"})
    void cloudEventsHeadersNameTheRevisionAndItsLifecycleStep(IncidentStatus status, String type) {
        var headers = CloudEvents.headers(incident(status).build(), "urn:breachwatch:bw-prod");

        assertThat(header(headers, "ce_specversion")).isEqualTo("1.0");
        assertThat(header(headers, "ce_id")).isEqualTo("bulk-export-0123456789abcdef0123-3");
        assertThat(header(headers, "ce_source")).isEqualTo("urn:breachwatch:bw-prod");
        assertThat(header(headers, "ce_type")).isEqualTo("io.breachwatch.incident." + type);
        assertThat(header(headers, "ce_time")).isEqualTo("2025-11-03T02:00:00Z");
        assertThat(header(headers, "ce_subject")).isEqualTo("bulk-export-0123456789abcdef0123");
        assertThat(header(headers, "content-type")).isEqualTo("application/json");
    }

    @Test
    void sourceDefaultsToTheApplicationIdAndMustBeAUriReference() {
        assertThat(CONFIG.source()).isEqualTo("urn:breachwatch:bw-prod");
        assertThat(OcsfConfig.from(Settings.of(Map.of("ocsf.cloudevents-source", "https://bw.example.com/eu-1"))).source())
                .isEqualTo("https://bw.example.com/eu-1");
        assertThatThrownBy(() -> OcsfConfig.from(Settings.of(Map.of("ocsf.cloudevents-source", "not a uri"))))
                .hasMessageContaining("ocsf.cloudevents-source").hasMessageContaining("URI reference");
    }

    static String header(Headers headers, String name) {
        var header = headers.lastHeader(name);
        return header == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    }
}
