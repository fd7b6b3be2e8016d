package io.breachwatch.config;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class AppConfigTest {
    @TempDir
    Path dir;

    @Test
    void defaultsApplyWithoutFileOrEnvironment() {
        var config = AppConfig.load(null, Map.of());
        assertThat(config.applicationId()).isEqualTo("breachwatch");
        assertThat(config.processingGuarantee()).isEqualTo("exactly_once_v2");
        assertThat(config.http().address()).isEqualTo("127.0.0.1");
        assertThat(config.http().port()).isEqualTo(8080);
        assertThat(config.rocksDbCacheBytes()).isEqualTo(128L << 20);
        assertThat(config.commitInterval()).isNull();
        assertThat(config.createTopics()).isTrue();
        assertThat(config.topicPartitions()).isEqualTo(6);
    }

    @Test
    void fileOverridesDefaultsAndEnvironmentOverridesFile() throws IOException {
        var file = write("application.id=from-file\nhttp.port=9000\nstreams.commit-interval=5s\n");
        var config = AppConfig.load(file, Map.of("BREACHWATCH_HTTP_PORT", "9100"));
        assertThat(config.applicationId()).isEqualTo("from-file");
        assertThat(config.http().port()).isEqualTo(9100);
        assertThat(config.commitInterval()).isEqualTo(Duration.ofSeconds(5));
        assertThat(config.shutdownTimeout()).isEqualTo(Duration.ofSeconds(30));
    }

    @Test
    void kafkaVariablesBecomePassThroughClientProperties() throws IOException {
        var file = write("kafka.security.protocol=SSL\nkafka.bootstrap.servers=file:9092\n");
        var config = AppConfig.load(file, Map.of("KAFKA_BOOTSTRAP_SERVERS", "env:9093",
                "KAFKA_SASL_MECHANISM", "PLAIN", "KAFKA_HEAP_OPTS", "-Xmx1g"));
        assertThat(config.bootstrapServers()).isEqualTo("env:9093");
        assertThat(config.kafkaProperties()).containsEntry("security.protocol", "SSL")
                .containsEntry("sasl.mechanism", "PLAIN")
                .containsEntry("bootstrap.servers", "env:9093")
                .doesNotContainKey("heap.opts");
    }

    @Test
    void launcherVariablesAreNotConfigurationKeys() {
        var config = AppConfig.load(null, Map.of("BREACHWATCH_OPTS", "-Xmx1g", "BREACHWATCH_REBUILD", "1",
                "BREACHWATCH_JAVA21", "/usr/lib/jvm/x", "BREACHWATCH_LOG_LEVEL", "DEBUG"));
        assertThat(config.applicationId()).isEqualTo("breachwatch");
    }

    @Test
    void unknownKeyInFileIsRejectedByName() throws IOException {
        var file = write("http.prot=9000\n");
        assertThatThrownBy(() -> AppConfig.load(file, Map.of()))
                .isInstanceOfSatisfying(ConfigException.class, e -> assertThat(e.key()).isEqualTo("http.prot"))
                .hasMessageContaining("unknown key");
    }

    @Test
    void unknownBreachwatchVariableIsRejectedByName() {
        assertThatThrownBy(() -> AppConfig.load(null, Map.of("BREACHWATCH_HTTP_PROT", "9000")))
                .isInstanceOfSatisfying(ConfigException.class, e -> assertThat(e.key()).isEqualTo("BREACHWATCH_HTTP_PROT"));
    }

    @Test
    void badValueIsRejectedNamingKeyAndWhatIsAllowed() {
        assertThatThrownBy(() -> AppConfig.load(null, Map.of("BREACHWATCH_STREAMS_PROCESSING_GUARANTEE", "exactly_once")))
                .isInstanceOfSatisfying(ConfigException.class,
                        e -> assertThat(e.key()).isEqualTo("streams.processing-guarantee"))
                .hasMessageContaining("exactly_once_v2, at_least_once");
        assertThatThrownBy(() -> AppConfig.load(null, Map.of("BREACHWATCH_HTTP_PORT", "70000")))
                .hasMessageStartingWith("http.port: invalid value '70000'; allowed: an integer from 0 to 65535");
        assertThatThrownBy(() -> AppConfig.load(null, Map.of("BREACHWATCH_ROCKSDB_CACHE_SIZE", "lots")))
                .hasMessageStartingWith("rocksdb.cache-size: invalid value 'lots'");
        assertThatThrownBy(() -> AppConfig.load(null, Map.of("BREACHWATCH_STREAMS_REPLICATION_FACTOR", "0")))
                .hasMessageStartingWith("streams.replication-factor:");
    }

    @Test
    void processingGuaranteeIsCaseInsensitive() {
        var config = AppConfig.load(null, Map.of("BREACHWATCH_STREAMS_PROCESSING_GUARANTEE", "AT_LEAST_ONCE"));
        assertThat(config.processingGuarantee()).isEqualTo("at_least_once");
        assertThat(config.exactlyOnce()).isFalse();
    }

    @Test
    void writeBuffersMustFitInTheCache() {
        assertThatThrownBy(() -> AppConfig.load(null, Map.of("BREACHWATCH_ROCKSDB_CACHE_SIZE", "16MiB")))
                .isInstanceOfSatisfying(ConfigException.class,
                        e -> assertThat(e.key()).isEqualTo("rocksdb.write-buffer-size"));
    }

    @Test
    void missingConfigurationFileIsAClearError() {
        assertThatThrownBy(() -> AppConfig.load(dir.resolve("nope.properties"), Map.of()))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("configuration file not found");
    }

    @Test
    void everyKeyIsDeclaredOnceWithADescription() {
        var byKey = AppConfig.fields().stream().collect(Collectors.groupingBy(Field::key, Collectors.counting()));
        assertThat(byKey).allSatisfy((key, count) -> assertThat(count).as(key).isEqualTo(1L));
        assertThat(AppConfig.fields()).allSatisfy(f -> assertThat(f.description()).isNotBlank());
        AppConfig.fields().forEach(f -> f.parse(null)); // every default is itself valid
    }

    private Path write(String text) throws IOException {
        var file = dir.resolve("breachwatch.properties");
        Files.writeString(file, text);
        return file;
    }
}
