package io.breachwatch.app;

import io.breachwatch.config.AppConfig;
import io.breachwatch.config.ConfigDocs;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class MainTest {
    @TempDir
    Path dir;

    record Result(int code, String out, String err) {
    }

    private static Result execute(Map<String, String> env, String... args) {
        var out = new StringWriter();
        var err = new StringWriter();
        var code = Main.execute(args, env, new PrintWriter(out, true), new PrintWriter(err, true));
        return new Result(code, out.toString(), err.toString());
    }

    @Test
    void runWithAnInvalidValueExitsTwoNamingTheKey() throws IOException {
        var file = Files.writeString(dir.resolve("bad.properties"), "streams.num-threads=many\n");
        var result = execute(Map.of(), "run", "--config", file.toString());
        assertThat(result.code()).isEqualTo(Main.EXIT_CONFIG);
        assertThat(result.err().strip())
                .isEqualTo("breachwatch: configuration error: streams.num-threads: invalid value 'many'; allowed: an integer from 1 to 64")
                .doesNotContain("Exception", "\tat ");
    }

    @Test
    void runWithAnUnknownKeyExitsTwoNamingTheKey() throws IOException {
        var file = Files.writeString(dir.resolve("typo.properties"), "topics.inptu=crm.events\n");
        var result = execute(Map.of(), "run", "-c", file.toString());
        assertThat(result.code()).isEqualTo(Main.EXIT_CONFIG);
        assertThat(result.err()).contains("topics.inptu: unknown key").hasLineCount(1);
    }

    @Test
    void runWithABadEnvironmentValueExitsTwoNamingTheKey() {
        var result = execute(Map.of("BREACHWATCH_SHUTDOWN_TIMEOUT", "soon"), "run");
        assertThat(result.code()).isEqualTo(Main.EXIT_CONFIG);
        assertThat(result.err()).contains("shutdown.timeout: invalid value 'soon'");
    }

    @Test
    void runWithAMissingConfigurationFileExitsTwo() {
        var result = execute(Map.of(), "run", "--config", dir.resolve("missing.properties").toString());
        assertThat(result.code()).isEqualTo(Main.EXIT_CONFIG);
        assertThat(result.err()).contains("configuration file not found");
    }

    @Test
    void runAgainstAnUnreachableBrokerFailsWithinSecondsWithExitCodeOne() throws IOException {
        int port;
        try (var socket = new ServerSocket(0)) {
            port = socket.getLocalPort(); // free, and nothing listens once closed
        }
        var started = System.nanoTime();
        var result = execute(Map.of("KAFKA_BOOTSTRAP_SERVERS", "127.0.0.1:" + port, "BREACHWATCH_STARTUP_TIMEOUT", "2s"), "run");
        assertThat(result.code()).isEqualTo(Main.EXIT_FAILURE);
        assertThat(result.err()).startsWith("breachwatch: cannot start: cannot reach Kafka at 127.0.0.1:" + port + " within 2s")
                .contains("kafka.bootstrap.servers").hasLineCount(1);
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(15));
    }

    @Test
    void runHelpListsEveryConfigurationKeyWithDefaultAndDescription() {
        var result = execute(Map.of(), "run", "--help");
        assertThat(result.code()).isZero();
        var help = withoutSpace(result.out()); // picocli wraps long lines, also inside words
        assertThat(AppConfig.fields()).allSatisfy(field -> assertThat(help)
                .contains(withoutSpace(field.key() + " (env " + ConfigDocs.environmentName(field) + ", default "
                        + (field.defaultValue() == null ? "unset" : field.defaultValue()) + ")"))
                .contains(withoutSpace(field.description())));
        assertThat(help).contains(withoutSpace("Exit codes: 0 stopped cleanly, 1 startup or runtime failure, 2 bad configuration"));
    }

    @Test
    void configMarkdownPrintsTheReadmeTable() {
        var result = execute(Map.of(), "config", "--markdown");
        assertThat(result.code()).isZero();
        assertThat(result.out()).isEqualTo(ConfigDocs.markdownTable(AppConfig.fields()));
    }

    @Test
    void configCheckValidatesFileAndEnvironment() throws IOException {
        var file = Files.writeString(dir.resolve("ok.properties"), "application.id=bw-test\n");
        assertThat(execute(Map.of(), "config", "--check", "--config", file.toString()).out())
                .contains("configuration is valid (application.id bw-test)");
        var bad = execute(Map.of("BREACHWATCH_TOPICS_PARTITIONS", "0"), "config", "--check");
        assertThat(bad.code()).isEqualTo(Main.EXIT_CONFIG);
        assertThat(bad.err()).contains("topics.partitions");
    }

    @Test
    void versionNamesKafkaStreamsVersion() {
        var result = execute(Map.of(), "--version");
        assertThat(result.code()).isZero();
        assertThat(result.out()).startsWith("breachwatch ").contains("Kafka Streams 4.4.0");
    }

    @Test
    void missingCommandIsAUsageErrorWithExitCodeTwo() {
        var result = execute(Map.of());
        assertThat(result.code()).isEqualTo(Main.EXIT_CONFIG);
        assertThat(result.err()).contains("Missing command").contains("run");
    }

    @Test
    void unknownOptionIsAUsageErrorWithExitCodeTwo() {
        assertThat(execute(Map.of(), "run", "--confg", "x").code()).isEqualTo(Main.EXIT_CONFIG);
    }

    private static String withoutSpace(String text) {
        return text.replaceAll("\\s+", "");
    }
}
