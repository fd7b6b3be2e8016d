package io.breachwatch.bench;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.List;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

/** The bench pipeline end to end on tiny sizes: broker, passthrough and Breachwatch JVMs, the table. Never judges speed. */
class BenchSmokeIT {
    private static final Path JAR = Path.of("target/breachwatch.jar");

    @TempDir
    Path dir;

    @Test
    @Timeout(120)
    void throughputPhaseRunsBothAppsInChildJvmsAndWritesTheTable() throws Exception {
        var figures = run(BenchPlan.Phase.THROUGHPUT, new ByteArrayOutputStream());

        assertThat(figures).extracting(Figure::name).containsExactly("throughput (a) passthrough, exactly_once_v2",
                "throughput (b) Breachwatch, all detectors, exactly_once_v2", "ratio b/a");
        assertThat(figures).extracting(Figure::verdict).doesNotContain("failed", Figure.DID_NOT_FINISH);
        var results = Files.readString(dir.resolve("results.md"));
        assertThat(results).contains("| figure | value | goal | verdict | notes |", "ratio b/a", "load avg");
        assertThat(ProcessHandle.current().children().filter(ProcessHandle::isAlive)).as("child JVMs left running").isEmpty();
    }

    @Test
    @Timeout(120)
    void latencyPhaseSendsItsPreparedEventsAtTheRate() throws Exception {
        var log = new ByteArrayOutputStream();

        var figures = run(BenchPlan.Phase.LATENCY, log);

        assertThat(figures).extracting(Figure::name).containsExactly("latency at 100 events/s, event to incident (read_committed)");
        var notes = figures.get(0).notes();
        var sent = Pattern.compile("([0-9,]+) events sent in ").matcher(notes);
        assertThat(sent.find()).as(notes).isTrue();
        // 5 s at 100 events/s, from the events made before the feed (9,500: enough for the longest warm-up)
        assertThat(Long.parseLong(sent.group(1).replace(",", ""))).isBetween(490L, 510L);
        assertThat(log.toString(StandardCharsets.UTF_8)).contains("9,500 events made and serialized in");
        assertThat(ProcessHandle.current().children().filter(ProcessHandle::isAlive)).as("child JVMs left running").isEmpty();
    }

    /** One phase on tiny sizes (latency: 100 events/s for 5 s, no warm-up), its log written to {@code log}. */
    private List<Figure> run(BenchPlan.Phase phase, ByteArrayOutputStream log) throws Exception {
        assumeThat(JAR).as("the shaded jar (mvn package) the child JVMs run").exists();
        var plan = new BenchPlan(EnumSet.of(phase), 3_000, 60, 60, 2, 1, List.of(100), 5, 0, 15,
                60, 1, 60, 15, 1_000, 60, false, List.of("-Xmx512m"), 42, dir);
        return new Benchmark(plan, JAR.toAbsolutePath(), new PrintStream(log, true, StandardCharsets.UTF_8)).run();
    }
}
