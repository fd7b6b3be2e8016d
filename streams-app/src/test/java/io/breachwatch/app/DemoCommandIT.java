package io.breachwatch.app;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.breachwatch.sim.DetectionCheck;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * {@code breachwatch demo} as a user runs it, in its own JVM (the built jar when there is one): the banner with the
 * broker and HTTP API, incident lines of every scenario kind, notice-task lines, the HTTP API answering during the run, and a clean
 * stop on a signal (SIGTERM: the same shutdown hook as Ctrl-C) with exit code 0 and no stack trace anywhere.
 */
class DemoCommandIT {
    private static final Pattern HTTP_URL = Pattern.compile("HTTP API +(http://127\\.0\\.0\\.1:\\d+)");
    private static final Pattern STACK_TRACE = Pattern.compile("Exception|\\n\\s+at |Caused by:");
    private static final List<String> RULES = List.of("bulk-export", "record-enumeration", "access-denied-burst", "credential-stuffing");
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @TempDir
    Path dir;

    @Test
    void printsIncidentsOfEveryKindServesTheHttpApiAndStopsCleanlyOnASignal() throws Exception {
        assumeTrue(DetectionCheck.detectorsPresent(), "detector topology is still the stub: Kafka Streams cannot start an empty topology");
        long t0 = System.nanoTime();
        // --duration only bounds a run the test fails to stop; --http-port 0 because 8080 may be taken here
        var out = new Output(dir.resolve("stdout.txt"));
        var err = new Output(dir.resolve("stderr.txt"));
        var process = new ProcessBuilder(command("demo", "--seed", "3", "--http-port", "0", "--duration", "120"))
                .redirectOutput(out.file().toFile()).redirectError(err.file().toFile()).start();
        try {
            var url = await().atMost(Duration.ofSeconds(40)).until(() -> HTTP_URL.matcher(out.text()), m -> m.find()).group(1);
            assertThat(out.text()).containsPattern("Broker +127\\.0\\.0\\.1:\\d+").contains("crm.access-events", "Ctrl-C");
            await().atMost(Duration.ofSeconds(30)).until(() -> get(url + "/health/ready").statusCode() == 200);

            await().atMost(Duration.ofSeconds(120)).untilAsserted(() -> assertThat(out.text()).contains(RULES));
            assertThat(out.text()).as("notice tasks, one line each with the due time")
                    .containsPattern("NOTICE PIPL_57_AUTHORITY to authority, due \\w{3} \\d{2}-\\d{2} \\d{2}:\\d{2}");
            var incidents = get(url + "/api/incidents");
            assertThat(incidents.statusCode()).isEqualTo(200);
            var served = new ObjectMapper().readTree(incidents.body()).path("incidents");
            assertThat(served).as("/api/incidents during the run").isNotEmpty();
            for (var incident : served) {
                var actor = incident.path("tenant_id").asText() + "/"
                        + (incident.path("user_id").isNull() ? incident.path("source_ip").asText() : incident.path("user_id").asText());
                await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(out.text())
                        .as("incident served over HTTP is printed").containsPattern(Pattern.quote(incident.path("rule_id").asText()) + " +" + Pattern.quote(actor)));
            }

            assertNoPersonalInformationInMetricLabels(get(url + "/metrics").body(), served);

            process.destroy(); // SIGTERM: the hook Ctrl-C runs (SIGINT may be ignored in a process started in the background)
            assertThat(process.waitFor(45, TimeUnit.SECONDS)).as("demo stopped within 45 s of the signal").isTrue();
            var stdout = out.text();
            var stderr = err.text();
            System.err.printf("demo ran %.1f s%n%s%n%s%n", (System.nanoTime() - t0) / 1e9, stdout, stderr);
            assertThat(process.exitValue()).as("exit code after a signal").isZero();
            assertThat(stdout).contains("Breachwatch demo stopped");
            assertThat(stdout).as("stdout carries no stack trace").doesNotContainPattern(STACK_TRACE);
            assertThat(stderr).as("stderr carries no stack trace").doesNotContainPattern(STACK_TRACE);
        } finally {
            process.destroyForcibly();
        }
    }

    /** Simulated user ids (t01.u0005), customer ids (t01-c000123) and IPv4 addresses. */
    private static final Pattern PI_LIKE = Pattern.compile("t\\d{2}\\.u\\d{3,}|t\\d{2}-c\\d{6}|\\b\\d{1,3}(\\.\\d{1,3}){3}\\b");
    private static final Pattern LABEL_VALUE = Pattern.compile("=\"([^\"]*)\"");

    /** Every label value of a scrape after demo traffic: ids and counts only, never a user, customer or IP. */
    private static void assertNoPersonalInformationInMetricLabels(String scrape, com.fasterxml.jackson.databind.JsonNode incidents) {
        var values = new java.util.ArrayList<String>();
        for (var line : scrape.split("\n")) {
            if (!line.startsWith("#")) {
                var m = LABEL_VALUE.matcher(line);
                while (m.find()) {
                    values.add(m.group(1));
                }
            }
        }
        assertThat(values).as("label values in the scrape").hasSizeGreaterThan(100);
        var actors = new java.util.HashSet<String>();
        for (var incident : incidents) {
            for (var field : List.of("user_id", "source_ip")) {
                if (!incident.path(field).isNull() && !incident.path(field).asText().isEmpty()) {
                    actors.add(incident.path(field).asText());
                }
            }
        }
        for (var value : values) {
            assertThat(value).as("metric label value").doesNotContainPattern(PI_LIKE);
            assertThat(actors).as("metric label value %s is an incident's actor", value).doesNotContain(value);
        }
    }

    /** {@code java -jar breachwatch.jar ARGS}, or the test classpath with the main class where the jar is not built. */
    private static List<String> command(String... args) {
        var java = ProcessHandle.current().info().command().orElse("java");
        var jar = System.getProperty("breachwatch.jar");
        var command = new ArrayList<>(jar != null && Files.isRegularFile(Path.of(jar))
                ? List.of(java, "-jar", jar)
                : List.of(java, "-cp", System.getProperty("java.class.path"), Main.class.getName()));
        command.addAll(List.of(args));
        return command;
    }

    private HttpResponse<String> get(String url) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10)).GET().build(),
                HttpResponse.BodyHandlers.ofString());
    }

    /** A file the process writes to (a pipe read while the process exits can lose its last lines). */
    private record Output(Path file) {
        String text() throws IOException {
            return Files.readString(file, StandardCharsets.UTF_8);
        }
    }
}
