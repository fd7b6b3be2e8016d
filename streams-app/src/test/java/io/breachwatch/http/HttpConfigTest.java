package io.breachwatch.http;

import io.breachwatch.config.ConfigException;
import io.breachwatch.config.Settings;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class HttpConfigTest {

    @Test
    void defaultsToLoopbackWithoutAToken() {
        var config = HttpConfig.from(Settings.empty());
        assertThat(config).isEqualTo(new HttpConfig("127.0.0.1", 8080, null));
    }

    @Test
    void readsAddressPortAndTokenFromTheEnvironment() {
        var settings = Settings.load(null, Map.of("BREACHWATCH_HTTP_ADDRESS", "0.0.0.0",
                "BREACHWATCH_HTTP_PORT", "9400", "BREACHWATCH_HTTP_TOKEN", "t0k"), HttpConfig.fields());
        assertThat(HttpConfig.from(settings)).isEqualTo(new HttpConfig("0.0.0.0", 9400, "t0k"));
    }

    @Test
    void rejectsAPortOutOfRangeNamingTheKey() {
        assertThatThrownBy(() -> HttpConfig.from(Settings.of(Map.of("http.port", "70000"))))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("http.port");
    }

    @Test
    void treatsABlankTokenAsNone() {
        assertThat(new HttpConfig("127.0.0.1", 0, "  ").token()).isNull();
    }
}
