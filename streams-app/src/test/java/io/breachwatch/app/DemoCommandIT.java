package io.breachwatch.app;

import io.breachwatch.sim.DetectionCheck;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

class DemoCommandIT {

    @Test
    void printsBannerAndIncidentsOfEveryKindThenStopsCleanly() {
        assumeTrue(DetectionCheck.detectorsPresent(), "detector topology is still the stub: Kafka Streams cannot start an empty topology");
        var bytes = new ByteArrayOutputStream();
        var out = new PrintStream(bytes, true, StandardCharsets.UTF_8);
        long t0 = System.nanoTime();
        int code = new CommandLine(new DemoCommand(out)).execute("--duration", "30", "--seed", "3");
        var text = bytes.toString(StandardCharsets.UTF_8);
        System.err.printf("demo ran %.1f s%n%s%n", (System.nanoTime() - t0) / 1e9, text);

        assertThat(code).isZero();
        assertThat(text).containsPattern("Broker +127\\.0\\.0\\.1:\\d+").contains("crm.access-events").contains("Ctrl-C")
                .contains("Breachwatch demo stopped");
        assertThat(text).contains("bulk-export", "record-enumeration", "access-denied-burst", "credential-stuffing");
    }
}
