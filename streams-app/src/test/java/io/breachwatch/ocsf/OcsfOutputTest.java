package io.breachwatch.ocsf;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.breachwatch.topology.TopologyHarness;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static io.breachwatch.ocsf.OcsfFindingTest.header;
import static io.breachwatch.topology.TopologyHarness.export;
import static io.breachwatch.topology.TopologyHarness.minutes;
import static org.assertj.core.api.Assertions.assertThat;

class OcsfOutputTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final OcsfSchemaCheck schema = new OcsfSchemaCheck();

    private static Map<String, String> settings(Map<String, String> extra) {
        var all = new HashMap<>(Map.of(
                "detect.bulk-export.window", "10m", "detect.bulk-export.advance", "1m", "detect.bulk-export.grace", "1m",
                "detect.bulk-export.threshold", "100", "ocsf.enabled", "true", "application.id", "bw-test"));
        all.putAll(extra);
        return TopologyHarness.only(all, "bulk-export");
    }

    private static List<TestRecord<String, String>> findings(TopologyHarness h) {
        return h.driver.createOutputTopic("crm.incidents.ocsf", new StringDeserializer(), new StringDeserializer()).readRecordsToList();
    }

    @Test
    void writesEveryRevisionAsADetectionFindingWithCloudEventsHeaders() throws Exception {
        try (var h = TopologyHarness.start(settings(Map.of()))) {
            h.send(export("u-1", minutes(1), 101), export("u-1", minutes(2), 50), export("u-1", minutes(3), 0));
            var incidents = h.incidents();
            var records = findings(h);

            assertThat(incidents).hasSize(2);
            assertThat(records).hasSize(2);
            for (int i = 0; i < 2; i++) {
                var incident = incidents.get(i);
                var record = records.get(i);
                JsonNode finding = JSON.readTree(record.value());
                assertThat(schema.violations(finding)).isEmpty();
                assertThat(record.key()).isEqualTo(incident.getIncidentId());
                assertThat(finding.get("finding_info").get("uid").asText()).isEqualTo(incident.getIncidentId());
                assertThat(finding.get("activity_id").asInt()).isEqualTo(i == 0 ? 1 : 2);
                assertThat(header(record.headers(), "ce_id")).isEqualTo(incident.getIncidentId() + "-" + (i + 1));
                assertThat(header(record.headers(), "ce_type")).isEqualTo(i == 0 ? "io.breachwatch.incident.created" : "io.breachwatch.incident.updated");
                assertThat(header(record.headers(), "ce_source")).isEqualTo("urn:breachwatch:bw-test");
                assertThat(header(record.headers(), "ce_time")).isEqualTo(incident.getDetectedAt().toString());
                assertThat(header(record.headers(), "ce_subject")).isEqualTo(incident.getIncidentId());
                assertThat(header(record.headers(), "ce_specversion")).isEqualTo("1.0");
                assertThat(header(record.headers(), "content-type")).isEqualTo("application/json");
            }
        }
    }

    @Test
    void allowlistedIncidentIsClosedAsSuppressed() throws Exception {
        try (var h = TopologyHarness.start(settings(Map.of("allowlist.entries", "acme:u-1:bulk-export:*")))) {
            h.send(export("u-1", minutes(1), 101), export("u-1", minutes(2), 0));
            var records = findings(h);

            assertThat(records).hasSize(1);
            var finding = JSON.readTree(records.get(0).value());
            assertThat(schema.violations(finding)).isEmpty();
            assertThat(finding.get("activity_id").asInt()).isEqualTo(3);
            assertThat(finding.get("status_id").asInt()).isEqualTo(3);
            assertThat(header(records.get(0).headers(), "ce_type")).isEqualTo("io.breachwatch.incident.suppressed");
        }
    }

    @Test
    void writesNoOcsfTopicUnlessEnabled() {
        try (var h = TopologyHarness.start(settings(Map.of("ocsf.enabled", "false")))) {
            h.send(export("u-1", minutes(1), 101), export("u-1", minutes(2), 0));

            assertThat(h.incidents()).hasSize(1);
            assertThat(h.driver.producedTopicNames()).doesNotContain("crm.incidents.ocsf");
        }
    }
}
