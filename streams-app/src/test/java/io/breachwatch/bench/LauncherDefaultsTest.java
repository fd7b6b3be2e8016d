package io.breachwatch.bench;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** The bench measures the app as {@code ./breachwatch run} starts it: the launcher's default JVM options are the bench's. */
class LauncherDefaultsTest {
    private static final Path LAUNCHER = Path.of("..", "breachwatch");

    @Test
    void runDefaultsOfTheLauncherAreTheOnesTheBenchMeasures() throws IOException {
        var script = Files.readString(LAUNCHER);
        assertThat(script).contains("run_default_opts=\"" + String.join(" ", AppUnderTest.RUN_JVM_OPTIONS) + "\"");
        assertThat(script).contains("\"${1:-}\" == \"run\" && -z \"${BREACHWATCH_OPTS+set}\"");
    }

    @Test
    void callersOptionsReplaceTheDefaultsWhole() {
        assertThat(AppUnderTest.breachwatchJvmOptions(java.util.List.of())).isEqualTo(AppUnderTest.RUN_JVM_OPTIONS);
        assertThat(AppUnderTest.breachwatchJvmOptions(java.util.List.of("-Xmx2g"))).containsExactly("-Xmx2g");
    }
}
