package io.breachwatch.bench;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

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
        assertThat(script).contains("BREACHWATCH_OPTS=\"$replay_default_opts\"");
        assertThat(script).contains("if [[ -z \"${BREACHWATCH_OPTS+set}\" ]]; then");
        // huge pages: the same file, the same modes and the same option as the bench
        assertThat(script).contains("huge_pages_file=" + AppUnderTest.HUGE_PAGES_FILE)
                .contains("huge_pages_opt=\"" + AppUnderTest.HUGE_PAGES_OPTION + "\"")
                .contains("grep -qs -e '\\[always\\]' -e '\\[madvise\\]' \"$huge_pages_file\"")
                .contains("BREACHWATCH_OPTS=\"$BREACHWATCH_OPTS $huge_pages_opt\"");
    }

    @Test
    void hugePagesAreAskedForOnlyWhereLinuxOffersThem(@TempDir Path dir) throws IOException {
        var file = dir.resolve("enabled");
        Files.writeString(file, "always [madvise] never\n");
        assertThat(AppUnderTest.hugePagesAvailable(file)).isTrue();
        Files.writeString(file, "[always] madvise never\n");
        assertThat(AppUnderTest.hugePagesAvailable(file)).isTrue();
        Files.writeString(file, "always madvise [never]\n");
        assertThat(AppUnderTest.hugePagesAvailable(file)).isFalse();
        assertThat(AppUnderTest.hugePagesAvailable(dir.resolve("absent"))).isFalse();

        assertThat(AppUnderTest.replayJvmOptions(java.util.List.of(), true))
                .containsExactly("-XX:+UseParallelGC", "-XX:InitialRAMPercentage=25", AppUnderTest.HUGE_PAGES_OPTION);
        assertThat(AppUnderTest.replayJvmOptions(java.util.List.of(), false)).isEqualTo(AppUnderTest.REPLAY_JVM_OPTIONS);
    }

    @Test
    void callersOptionsReplaceTheDefaultsWhole() {
        assertThat(AppUnderTest.breachwatchJvmOptions(java.util.List.of())).isEqualTo(AppUnderTest.RUN_JVM_OPTIONS);
        assertThat(AppUnderTest.breachwatchJvmOptions(java.util.List.of("-Xmx2g"))).containsExactly("-Xmx2g");
        assertThat(AppUnderTest.replayJvmOptions(java.util.List.of())).startsWith(AppUnderTest.REPLAY_JVM_OPTIONS.toArray(String[]::new));
        assertThat(AppUnderTest.replayJvmOptions(java.util.List.of("-Xmx2g"))).containsExactly("-Xmx2g");
    }
}
