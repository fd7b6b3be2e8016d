package io.breachwatch.serde;

import io.breachwatch.config.ConfigException;
import io.breachwatch.config.Settings;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class RegistryConfigTest {

    @Test
    void defaultsToTheEmbeddedRegistryWithFiveAndTenSecondTimeouts() {
        var config = RegistryConfig.from(Settings.empty());

        assertThat(config.isEmbedded()).isTrue();
        assertThat(config.connectTimeout()).isEqualTo(Duration.ofSeconds(5));
        assertThat(config.readTimeout()).isEqualTo(Duration.ofSeconds(10));
        assertThat(SchemaRegistries.create(config)).isInstanceOf(InMemorySchemaRegistry.class);
    }

    @Test
    void readsEveryKey(@TempDir Path dir) throws IOException {
        var truststore = Files.createFile(dir.resolve("trust.p12"));
        var config = RegistryConfig.from(Settings.of(Map.of(
                "registry.url", "https://registry.internal:8443/apis/ccompat/v7",
                "registry.basic-auth.user", "bw",
                "registry.basic-auth.password", "pw",
                "registry.connect-timeout", "2s",
                "registry.read-timeout", "1500ms",
                "registry.ssl.truststore.location", truststore.toString(),
                "registry.ssl.truststore.password", "tp")));

        assertThat(config).isEqualTo(new RegistryConfig("https://registry.internal:8443/apis/ccompat/v7", "bw", "pw",
                Duration.ofSeconds(2), Duration.ofMillis(1500), truststore, "tp"));
        assertThat(config.toString()).doesNotContain("pw").doesNotContain("tp,").contains("****");
    }

    @Test
    void anHttpUrlMakesTheHttpClient() {
        var client = SchemaRegistries.create(RegistryConfig.forUrl("http://127.0.0.1:8081/"));

        assertThat(client).isInstanceOfSatisfying(HttpSchemaRegistryClient.class,
                http -> assertThat(http.baseUrl()).isEqualTo("http://127.0.0.1:8081"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"ftp://registry:21", "localhost:8081", "http://", "mem", "http://host:8081/?x=1", ""})
    void refusesAnythingButEmbeddedOrAnHttpUrlNamingTheKey(String url) {
        var settings = Settings.of(Map.of("registry.url", url));

        assertThatThrownBy(() -> RegistryConfig.from(settings))
                .isInstanceOfSatisfying(ConfigException.class, e -> assertThat(e.key()).isEqualTo("registry.url"))
                .hasMessageContaining("embedded, or an http:// or https:// URL");
    }

    @Test
    void passwordWithoutUserIsRefused() {
        var settings = Settings.of(Map.of("registry.url", "http://r:8081", "registry.basic-auth.password", "pw"));

        assertThatThrownBy(() -> RegistryConfig.from(settings))
                .isInstanceOfSatisfying(ConfigException.class, e -> assertThat(e.key()).isEqualTo("registry.basic-auth.password"))
                .hasMessageContaining("registry.basic-auth.user is not");
    }

    @Test
    void missingTruststoreFileIsRefused(@TempDir Path dir) {
        var missing = dir.resolve("nope.p12").toString();
        var settings = Settings.of(Map.of("registry.url", "https://r:8081", "registry.ssl.truststore.location", missing));

        assertThatThrownBy(() -> RegistryConfig.from(settings))
                .isInstanceOfSatisfying(ConfigException.class, e -> assertThat(e.key()).isEqualTo("registry.ssl.truststore.location"))
                .hasMessageContaining("not found: " + missing);
    }

    @Test
    void zeroTimeoutIsRefused() {
        var settings = Settings.of(Map.of("registry.read-timeout", "0s"));

        assertThatThrownBy(() -> RegistryConfig.from(settings))
                .isInstanceOfSatisfying(ConfigException.class, e -> assertThat(e.key()).isEqualTo("registry.read-timeout"));
    }

    @Test
    void everyKeyIsDeclaredForValidationAndHelp() {
        assertThat(RegistryConfig.fields()).extracting(f -> f.key()).containsExactly(
                "registry.url", "registry.basic-auth.user", "registry.basic-auth.password",
                "registry.connect-timeout", "registry.read-timeout",
                "registry.ssl.truststore.location", "registry.ssl.truststore.password");
    }
}
