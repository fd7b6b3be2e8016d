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
        assumeThat(JAR).as("the shaded jar (mvn package) the child JVMs run").exists();
        var plan = new BenchPlan(EnumSet.of(BenchPlan.Phase.THROUGHPUT), 3_000, 60, 60, 2, 1, List.of(100), 5, 0, 15,
                60, 1, 60, 15, 1_000, 60, false, List.of("-Xmx512m"), 42, dir);
        var log = new ByteArrayOutputStream();

        var figures = new Benchmark(plan, JAR.toAbsolutePath(), new PrintStream(log, true, StandardCharsets.UTF_8)).run();

        assertThat(figures).extracting(Figure::name).containsExactly("throughput (a) passthrough, exactly_once_v2",
                "throughput (b) Breachwatch, all detectors, exactly_once_v2", "ratio b/a");
        assertThat(figures).extracting(Figure::verdict).doesNotContain("failed", Figure.DID_NOT_FINISH);
        var results = Files.readString(dir.resolve("results.md"));
        assertThat(results).contains("| figure | value | goal | verdict | notes |", "ratio b/a", "load avg");
        assertThat(ProcessHandle.current().children().filter(ProcessHandle::isAlive)).as("child JVMs left running").isEmpty();
    }
}
