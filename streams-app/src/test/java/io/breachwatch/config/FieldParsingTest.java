package io.breachwatch.config;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class FieldParsingTest {
    private static final Field<Duration> TIMEOUT = Field.duration("x.timeout", "30s", "test");
    private static final Field<Long> SIZE = Field.byteSize("x.size", "64MiB", "test");

    @ParameterizedTest
    @CsvSource({"500ms,500", "30s,30000", "10m,600000", "2h,7200000", "7d,604800000", "PT1H,3600000",
            "pt90s,90000", " 15 s ,15000"})
    void readsShorthandAndIsoDurations(String text, long millis) {
        assertThat(TIMEOUT.parse(text)).isEqualTo(Duration.ofMillis(millis));
    }

    @ParameterizedTest
    @ValueSource(strings = {"0s", "-5s", "ten seconds", "5", "PT", "5w", ""})
    void rejectsDurationsThatAreNotPositive(String text) {
        assertThatThrownBy(() -> TIMEOUT.parse(text))
                .isInstanceOf(ConfigException.class)
                .hasMessageStartingWith("x.timeout: invalid value")
                .hasMessageContaining("such as 500ms, 30s");
    }

    @ParameterizedTest
    @CsvSource({"1024,1024", "512KiB,524288", "64MiB,67108864", "64mb,67108864", "16m,16777216", "1GiB,1073741824", "100B,100"})
    void readsBinaryByteSizes(String text, long bytes) {
        assertThat(SIZE.parse(text)).isEqualTo(bytes);
    }

    @ParameterizedTest
    @ValueSource(strings = {"0", "-1MiB", "1TiB", "lots", "99999999999999GiB"})
    void rejectsBadByteSizes(String text) {
        assertThatThrownBy(() -> SIZE.parse(text)).isInstanceOf(ConfigException.class).hasMessageStartingWith("x.size:");
    }

    @ParameterizedTest
    @CsvSource({"exactly_once_v2,exactly_once_v2", "AT_LEAST_ONCE,at_least_once"})
    void oneOfReturnsTheCanonicalWord(String text, String expected) {
        var field = Field.oneOf("x.mode", "exactly_once_v2", "test", "exactly_once_v2", "at_least_once");
        assertThat(field.parse(text)).isEqualTo(expected);
    }
}
