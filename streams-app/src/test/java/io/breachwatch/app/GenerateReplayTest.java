package io.breachwatch.app;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.breachwatch.sim.DetectionCheck;
import io.breachwatch.sim.ScenarioLabel;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

class GenerateReplayTest {
    @TempDir
    Path dir;

    @Test
    void replayOfAGeneratedWeekFindsEveryScenarioByItsRuleAndNoBenignAccount() throws Exception {
        var events = dir.resolve("events.jsonl");
        var labels = dir.resolve("labels.jsonl");
        var incidents = dir.resolve("incidents.jsonl");

        int generated = new CommandLine(new GenerateCommand()).execute("--users", "500", "--days", "7", "--seed", "11",
                "--tenants", "3", "--out", events.toString(), "--labels", labels.toString());
        assertThat(generated).isZero();
        assumeTrue(DetectionCheck.detectorsPresent(), "detector topology is still the stub: detection is checked once it is merged");
        long started = System.nanoTime();
        int replayed = new CommandLine(new ReplayCommand()).execute("--input", events.toString(), "--output", incidents.toString());
        System.err.printf("replay of %d lines took %.1f s%n", Files.lines(events).count(), (System.nanoTime() - started) / 1e9);
        assertThat(replayed).isZero();

        var scenarioLabels = Files.readAllLines(labels).stream().map(ScenarioLabel::fromJson).toList();
        assertThat(scenarioLabels).hasSize(3 * io.breachwatch.sim.ScenarioKind.values().length);
        var mapper = new ObjectMapper();
        var found = Files.readAllLines(incidents).stream().map(line -> {
            try {
                return DetectionCheck.Found.of(mapper.readTree(line));
            } catch (Exception e) {
                throw new AssertionError("incident line is not JSON: " + line, e);
            }
        }).toList();
        DetectionCheck.assertEveryScenarioDetectedAndNothingElse(scenarioLabels, found);
    }

    @Test
    void replaySkipsAndReportsMalformedLinesWithTheirNumbers() throws Exception {
        assumeTrue(DetectionCheck.detectorsPresent(), "detector topology is still the stub: replay needs its input topic");
        var input = dir.resolve("mixed.jsonl");
        Files.writeString(input, String.join("\n",
                "{\"event_id\":\"e1\",\"timestamp\":1740960000000,\"tenant_id\":\"t\",\"user_id\":\"u\",\"action\":\"VIEW\"}",
                "{not json",
                "",
                "{\"event_id\":\"e2\",\"timestamp\":\"2025-03-03T01:00:00Z\",\"tenant_id\":\"t\",\"user_id\":\"u\",\"outcome\":\"MAYBE\"}",
                "{\"event_id\":\"e3\",\"timestamp\":\"2025-03-03T01:00:01Z\",\"tenant_id\":\"t\",\"user_id\":\"u\"}",
                "{\"event_id\":\"e4\",\"timestamp\":\"2025-03-03T01:00:02Z\",\"tenant_id\":\"t\",\"user_id\":\"u\",\"record_count\":-5}") + "\n");
        var err = new ByteArrayOutputStream();
        var originalErr = System.err;
        int code;
        try {
            System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
            code = new CommandLine(new ReplayCommand()).execute("--input", input.toString(), "--output", dir.resolve("out.jsonl").toString());
        } finally {
            System.setErr(originalErr);
        }
        var summary = err.toString(StandardCharsets.UTF_8);

        assertThat(code).isZero();
        // line 6 is JSON but not a valid event: the topology's validation refuses it, and replay names it too
        assertThat(summary).containsPattern("events read\\s+2").containsPattern("lines rejected\\s+3")
                .contains("line 2: malformed JSON").contains("line 4: field 'outcome'")
                .contains("line 6: record_count is negative (negative-count)")
                .containsPattern("cpu\\s+\\d+\\.\\d s \\(\\d+\\.\\d cores\\)");
    }

    @Test
    void generateRejectsImpossibleSizesNamingTheProblem() {
        var err = new java.io.StringWriter();
        var cli = new CommandLine(new GenerateCommand()).setErr(new java.io.PrintWriter(err));
        int code = cli.execute("--users", "3", "--tenants", "2", "--out", dir.resolve("x.jsonl").toString());
        assertThat(code).isNotZero();
        assertThat(err.toString()).contains("at least 5 users per tenant");
    }
}
