package io.breachwatch.runtime;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.breachwatch.schema.AccessEvent;
import io.breachwatch.schema.Action;
import io.breachwatch.schema.Outcome;
import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;
import static org.awaitility.Awaitility.await;

/**
 * The live observability check in the test run: the service on a real broker with traffic that makes every series
 * the dashboards query (incidents of every severity, a late record, a dead-lettered record), then
 * {@code scripts/check-observability.sh live} starts a real Prometheus scraping it and evaluates every dashboard
 * and alert expression. Needs the Debian package prometheus (promtool, prometheus) and python3 with yaml.
 */
class ObservabilityIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration WAIT = Duration.ofSeconds(90);
    private static final Set<String> SEVERITIES = Set.of("LOW", "MEDIUM", "HIGH", "CRITICAL");

    @TempDir
    Path dir;

    @Test
    void everyDashboardAndAlertQueryEvaluatesAgainstALivePrometheus() throws Exception {
        assumeThat(onPath("prometheus") && onPath("promtool") && onPath("python3"))
                .as("live observability check skipped: needs prometheus and promtool (Debian package prometheus) and python3 on PATH")
                .isTrue();
        var root = repositoryRoot();
        try (var h = ServiceHarness.create(dir, Map.of(
                "detect.record-enumeration.threshold", "5",
                "detect.record-enumeration.severity", "LOW",
                "detect.access-denied-burst.threshold", "3",
                "detect.credential-stuffing.threshold", "3"))) {
            h.service.start();
            await().atMost(WAIT).until(() -> h.get("/health/ready").status() == 200);

            var now = Instant.now().truncatedTo(ChronoUnit.SECONDS).minus(Duration.ofMinutes(5));
            h.send(everySeverity(h, now));
            h.sendRaw("acme/broken", "not an access event".getBytes(StandardCharsets.UTF_8));
            // two days before stream time: every bulk-export window it belongs to has closed
            h.send(List.of(h.export("late-exporter", now.minus(Duration.ofDays(2)), 10)));

            await().atMost(WAIT).until(() -> severities(h), s -> s.containsAll(SEVERITIES));
            var scrape = await().atMost(WAIT).until(() -> h.get("/metrics").body(),
                    body -> ServiceIT.metricValue(body, "breachwatch_events_late_total", "rule=\"bulk-export\"") > 0
                            && ServiceIT.metricValue(body, "breachwatch_events_dead_lettered_total", "reason=\"not-wire-format\"") > 0);
            ServiceIT.assertNoPersonalLabelValues(scrape, Set.of("exporter-", "scraper-", "denier-", "victim-", "203.0.113.", "198.51.100.", "cust-"));
            awaitKafkaMetrics(h, dashboardMetrics(root));

            var log = dir.resolve("check-observability.log");
            var check = new ProcessBuilder("bash", root.resolve("scripts/check-observability.sh").toString(), "live", h.service.httpUrl() + "/metrics")
                    .redirectErrorStream(true).redirectOutput(log.toFile()).start();
            var finished = check.waitFor(4, TimeUnit.MINUTES);
            if (!finished) {
                check.destroyForcibly();
            }
            var output = Files.readString(log);
            System.out.println(output);
            assertThat(finished).as("check-observability.sh live finished within 4 minutes:\n%s", output).isTrue();
            assertThat(check.exitValue()).as("check-observability.sh live:\n%s", output).isZero();
            assertThat(output).contains("promql:", " 0 failed");
        }
    }

    /**
     * Kafka Streams' task, store and consumer metrics appear a few seconds after RUNNING (the binder looks for new
     * ones every 10 s): waits until the scrape has every metric the dashboards name, or 45 s. Then the check runs
     * either way, so that a metric the app never exports fails there, with the query that names it.
     */
    private static void awaitKafkaMetrics(ServiceHarness h, Set<String> needed) {
        try {
            await().atMost(Duration.ofSeconds(45)).pollInterval(Duration.ofSeconds(1))
                    .until(() -> h.get("/metrics").body(), body -> needed.stream().allMatch(name -> body.contains("\n" + name)));
        } catch (ConditionTimeoutException e) {
            System.out.println("not every metric the dashboards name is exported yet; check-observability.sh says which");
        }
    }

    /** bulk-export at 20x its threshold (CRITICAL), credential-stuffing (HIGH), access-denied-burst (MEDIUM), record-enumeration (LOW). */
    private static List<AccessEvent> everySeverity(ServiceHarness h, Instant start) {
        var events = new ArrayList<AccessEvent>();
        events.add(h.export("exporter-1", start, 200_000));
        for (int i = 0; i < 5; i++) {
            var at = start.plusSeconds(i);
            events.add(h.event("victim-" + i, at).setAction(Action.LOGIN_FAILED).setOutcome(Outcome.FAILED)
                    .setSourceIp("203.0.113.9").setRecordCount(0).setFields(List.of()).build());
            events.add(h.event("denier-1", at).setOutcome(Outcome.DENIED).setRecordCount(0).build());
        }
        for (int i = 0; i < 8; i++) {
            events.add(h.event("scraper-1", start.plusSeconds(i)).setCustomerId("cust-" + i).build());
        }
        return events;
    }

    private static Set<String> severities(ServiceHarness h) throws IOException {
        var response = h.get("/api/incidents");
        var out = new HashSet<String>();
        if (response.status() == 200) {
            JSON.readTree(response.body()).path("incidents").forEach(i -> out.add(i.path("severity").asText()));
        }
        return out;
    }

    /** The metric names the dashboards and alert rules query (promql-check.py --list), except Prometheus' own "up". */
    private static Set<String> dashboardMetrics(Path root) throws IOException, InterruptedException {
        var rules = new ArrayList<String>();
        try (var files = Files.list(root.resolve("docker/prometheus/rules"))) {
            files.filter(f -> f.toString().endsWith(".yml")).forEach(f -> rules.add(f.toString()));
        }
        var command = new ArrayList<>(List.of("python3", root.resolve("scripts/promql-check.py").toString(), "--list",
                "--dashboards", root.resolve("grafana/dashboards").toString(), "--rules"));
        command.addAll(rules);
        var process = new ProcessBuilder(command).redirectErrorStream(true).start();
        var output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor()).as("promql-check.py --list:\n%s", output).isZero();
        var names = new HashSet<String>();
        output.lines().map(String::strip).filter(line -> line.startsWith("metrics:"))
                .flatMap(line -> Stream.of(line.substring("metrics:".length()).split(",")))
                .map(String::strip).filter(name -> !name.isEmpty() && !name.equals("up"))
                .forEach(names::add);
        assertThat(names).as("metrics named by the dashboards").isNotEmpty();
        return names;
    }

    private static Path repositoryRoot() {
        for (var d = Path.of("").toAbsolutePath(); d != null; d = d.getParent()) {
            if (Files.exists(d.resolve("scripts/check-observability.sh"))) {
                return d;
            }
        }
        throw new IllegalStateException("scripts/check-observability.sh not found above " + Path.of("").toAbsolutePath());
    }

    private static boolean onPath(String command) {
        var path = System.getenv().getOrDefault("PATH", "");
        return Stream.of(path.split(java.io.File.pathSeparator)).anyMatch(d -> Files.isExecutable(Path.of(d, command)));
    }
}
