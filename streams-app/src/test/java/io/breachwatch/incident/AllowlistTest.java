package io.breachwatch.incident;

import io.breachwatch.config.ConfigException;
import io.breachwatch.config.Settings;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class AllowlistTest {
    private static final Instant BEFORE = Instant.parse("2026-12-31T23:59:59Z");
    private static final Instant AFTER = Instant.parse("2027-01-01T00:00:00Z");

    @Test
    void suppressesMatchingEntryUntilItsEndDate() {
        var allowlist = Allowlist.from(Settings.of(Map.of("allowlist.entries", "acme:etl-nightly:bulk-export:2027-01-01")));

        assertThat(allowlist.suppresses("acme", "etl-nightly", "bulk-export", BEFORE)).isTrue();
        assertThat(allowlist.suppresses("acme", "etl-nightly", "bulk-export", AFTER)).isFalse();
        assertThat(allowlist.suppresses("acme", "etl-nightly", "record-enumeration", BEFORE)).isFalse();
        assertThat(allowlist.suppresses("other", "etl-nightly", "bulk-export", BEFORE)).isFalse();
    }

    @Test
    void wildcardsMatchAnyValue() {
        var allowlist = Allowlist.from(Settings.of(Map.of("allowlist.entries", "acme:*:off-hours-export:*")));

        assertThat(allowlist.suppresses("acme", "anyone", "off-hours-export", AFTER)).isTrue();
        assertThat(allowlist.suppresses("acme", "anyone", "bulk-export", AFTER)).isFalse();
    }

    @Test
    void malformedEntryNamesTheKey() {
        assertThatThrownBy(() -> Allowlist.from(Settings.of(Map.of("allowlist.entries", "acme:bulk-export"))))
                .isInstanceOf(ConfigException.class).hasMessageContaining("allowlist.entries");
        assertThatThrownBy(() -> Allowlist.from(Settings.of(Map.of("allowlist.entries", "acme:u:r:not-a-date"))))
                .isInstanceOf(ConfigException.class).hasMessageContaining("allowlist.entries");
    }
}
