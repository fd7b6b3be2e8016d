package io.breachwatch.runtime;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.breachwatch.schema.AccessEvent;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** The whole service on a real broker: Kafka Streams, detection, metrics and the HTTP API wired by {@link Service}. */
class ServiceIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration STARTUP = Duration.ofSeconds(60);
    /** Personal values fed in; none may appear in a metric label. */
    private static final String USER = "pi-user-4711";
    private static final String IP = "203.0.113.77";
    private static final List<String> CUSTOMERS = List.of("pi-cust-0001", "pi-cust-0002", "pi-cust-0003");

    @TempDir
    Path dir;

    @Test
    void servesReadinessIncidentsMetricsAndTopologyForABulkExport() throws Exception {
        try (var h = ServiceHarness.create(dir, Map.of())) {
            h.service.start();
            var first = h.get("/health/ready");
            assertThat(first.status()).as("ready before RUNNING: %s", first.body()).isEqualTo(503);
            assertThat(h.get("/health/live").status()).isEqualTo(200);
            await().atMost(STARTUP).until(() -> h.get("/health/ready").status() == 200);

            h.send(bulkExportBurst(h));

            var incident = await().atMost(STARTUP).until(() -> incidentOf(h, "bulk-export"), i -> i != null);
            assertThat(incident.path("user_id").asText()).isEqualTo(USER);
            assertThat(incident.path("record_count").asLong()).isGreaterThan(10_000);

            var scrape = await().atMost(Duration.ofSeconds(30)).until(() -> h.get("/metrics").body(),
                    body -> body.contains("kafka_stream_") && body.contains("breachwatch_incidents_emitted_total{"));
            assertThat(scrape).contains("breachwatch_events_consumed_total{", "breachwatch_detection_latency_seconds_bucket{");
            assertThat(metricValue(scrape, "breachwatch_incidents_emitted_total", "rule=\"bulk-export\"", "severity=\"HIGH\""))
                    .isEqualTo(1.0);
            assertNoPersonalLabelValues(scrape, personalValues());

            var topology = h.get("/api/topology");
            assertThat(topology.status()).isEqualTo(200);
            assertThat(topology.body()).contains("access-events-source", "incidents-sink", "bulk-export-windows");

            var actor = h.get("/api/actors/" + ServiceHarness.TENANT + "/" + USER);
            assertThat(actor.status()).isEqualTo(200);
            assertThat(actor.body()).contains("bulk-export-windows");
            var windows = JSON.readTree(actor.body()).path("windows").path("bulk-export-windows");
            assertThat(windows).as("the user's bulk-export windows, decoded").isNotEmpty();
            assertThat(windows.get(0).path("window_start").asText()).isNotEmpty();

            assertThat(h.service.stop()).as("closed cleanly").isTrue();
        }
    }

    private List<AccessEvent> bulkExportBurst(ServiceHarness h) {
        var start = Instant.now().truncatedTo(ChronoUnit.SECONDS).minus(Duration.ofMinutes(2));
        var events = new ArrayList<AccessEvent>();
        for (int i = 0; i < CUSTOMERS.size(); i++) {
            var at = start.plusSeconds(10L * i);
            events.add(h.event(USER, at).setSourceIp(IP).setCustomerId(CUSTOMERS.get(i)).setRecordId("rec-" + i).build());
            events.add(AccessEvent.newBuilder(h.export(USER, at.plusSeconds(1), 5_000)).setSourceIp(IP).build());
        }
        return events;
    }

    private static Set<String> personalValues() {
        var values = new java.util.HashSet<>(CUSTOMERS);
        values.addAll(Set.of(USER, IP, "sess-" + USER, "198.51.100.23", "exfil.example", "rep-" + USER, "ev-it-"));
        return values;
    }

    static JsonNode incidentOf(ServiceHarness h, String rule) throws Exception {
        var response = h.get("/api/incidents?rule=" + rule);
        if (response.status() != 200) {
            return null; // stores not queryable yet (503): retry
        }
        var incidents = JSON.readTree(response.body()).path("incidents");
        return incidents.isEmpty() ? null : incidents.get(0);
    }

    private static final Pattern SAMPLE = Pattern.compile("^([a-zA-Z_:][a-zA-Z0-9_:]*)(\\{(.*)})?\\s+(\\S+)");
    private static final Pattern LABEL = Pattern.compile("([a-zA-Z_][a-zA-Z0-9_]*)=\"((?:[^\"\\\\]|\\\\.)*)\"");

    /** The value of the one sample of {@code name} whose labels include every {@code labels} pair. */
    static double metricValue(String scrape, String name, String... labels) {
        return scrape.lines().map(SAMPLE::matcher).filter(m -> m.find() && m.group(1).equals(name))
                .filter(m -> m.group(3) != null && List.of(labels).stream().allMatch(m.group(3)::contains))
                .mapToDouble(m -> Double.parseDouble(m.group(4)))
                .findFirst().orElseThrow(() -> new AssertionError("no sample " + name + List.of(labels)));
    }

    /** Every label value of every sample of the scrape. */
    static List<String> labelValues(String scrape) {
        var values = new ArrayList<String>();
        scrape.lines().filter(line -> !line.startsWith("#")).map(SAMPLE::matcher).filter(m -> m.find() && m.group(3) != null)
                .forEach(m -> LABEL.matcher(m.group(3)).results().forEach(label -> values.add(label.group(2))));
        return values;
    }

    static void assertNoPersonalLabelValues(String scrape, Set<String> personal) {
        var values = labelValues(scrape);
        assertThat(values).as("label values scanned").hasSizeGreaterThan(100);
        for (var value : values) {
            for (var pi : personal) {
                assertThat(value).as("a metric label value carries personal information '%s'", pi).doesNotContain(pi);
            }
        }
    }
}
