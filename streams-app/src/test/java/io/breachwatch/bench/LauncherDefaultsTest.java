package io.breachwatch.bench;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** The bench measures the app as {@code ./breachwatch run} and {@code replay} start it: the launcher's default JVM options are the bench's. */
class LauncherDefaultsTest {
    private static final Path LAUNCHER = Path.of("..", "breachwatch");

    @Test
    void runDefaultsOfTheLauncherAreTheOnesTheBenchMeasures() throws IOException {
        var script = Files.readString(LAUNCHER);
        assertThat(script).contains("run_default_opts=\"" + String.join(" ", AppUnderTest.RUN_JVM_OPTIONS) + "\"");
        assertThat(script).contains("run) BREACHWATCH_OPTS=\"$run_default_opts\"");
    }

    @Test
    void replayDefaultsOfTheLauncherAreTheOnesTheBenchMeasures() throws IOException {
        var script = Files.readString(LAUNCHER);
        assertThat(script).contains("replay_default_opts=\"" + String.join(" ", AppUnderTest.REPLAY_JVM_OPTIONS) + "\"");
        assertThat(script).contains("replay) BREACHWATCH_OPTS=\"$replay_default_opts\"");
        assertThat(script).contains("if [[ -z \"${BREACHWATCH_OPTS+set}\" ]]; then");
    }

    @Test
    void callersOptionsReplaceTheDefaultsWhole() {
        assertThat(AppUnderTest.breachwatchJvmOptions(java.util.List.of())).isEqualTo(AppUnderTest.RUN_JVM_OPTIONS);
        assertThat(AppUnderTest.breachwatchJvmOptions(java.util.List.of("-Xmx2g"))).containsExactly("-Xmx2g");
        assertThat(AppUnderTest.replayJvmOptions(java.util.List.of())).isEqualTo(AppUnderTest.REPLAY_JVM_OPTIONS);
        assertThat(AppUnderTest.replayJvmOptions(java.util.List.of("-Xmx2g"))).containsExactly("-Xmx2g");
    }
}
