package io.breachwatch.detect;

import io.breachwatch.config.Settings;
import io.breachwatch.topology.TopologyHarness;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

import static io.breachwatch.topology.TopologyHarness.minutes;
import static org.assertj.core.api.Assertions.assertThat;

/** The small shared pieces: lateness rule, aggregate and its serde, summary wording. */
class WindowPartsTest {

    @Test
    void lateOnlyOnceTheLatestWindowAndGraceHavePassed() {
        var rule = BulkExportDetector.KEYS.read(Settings.of(java.util.Map.of(
                "detect.bulk-export.window", "10m", "detect.bulk-export.advance", "1m", "detect.bulk-export.grace", "1m")));
        var ts = minutes(5.5).toEpochMilli();
        // latest window holding 10:05:30 is [10:05, 10:15): closed for good at 10:16
        assertThat(rule.isLate(ts, minutes(16).toEpochMilli() - 1)).isFalse();
        assertThat(rule.isLate(ts, minutes(16).toEpochMilli())).isTrue();
    }

    @Test
    void aggregateSurvivesItsSerdeAndCapsEvidence() {
        var agg = new WindowAggregate();
        for (int i = 0; i < 30; i++) {
            agg.add(TopologyHarness.event("u-1", minutes(i)).setCustomerId("c-" + (i % 7)).setDestinationCountry("US")
                    .setFields(List.of("email")).build(), "c-" + (i % 7));
        }
        var bytes = WindowAggregate.SERDE.serializer().serialize("t", agg);
        var back = WindowAggregate.SERDE.deserializer().deserialize("t", bytes);

        assertThat(back.eventCount()).isEqualTo(30);
        assertThat(back.distinctCount()).isEqualTo(7);
        assertThat(back.evidence()).hasSize(WindowAggregate.MAX_EVIDENCE).isEqualTo(agg.evidence());
        assertThat(back.firstSeen()).isEqualTo(minutes(0).toEpochMilli());
        assertThat(back.lastSeen()).isEqualTo(minutes(29).toEpochMilli());
        assertThat(back.fields()).containsExactly("email");
        assertThat(back.destinationCountries()).containsExactly("US");
        assertThat(back.tenantId()).isEqualTo("acme");
    }

    @Test
    void summaryWordingIsPlain() {
        assertThat(Summaries.count(12_400)).isEqualTo("12,400");
        assertThat(Summaries.duration(Duration.ofHours(1))).isEqualTo("1 h");
        assertThat(Summaries.duration(Duration.ofMinutes(90))).isEqualTo("90 min");
        assertThat(Summaries.duration(Duration.ofDays(2))).isEqualTo("2 d");
        assertThat(Summaries.span(Instant.parse("2025-03-03T23:50:00Z"), Instant.parse("2025-03-04T00:10:00Z")))
                .isEqualTo("2025-03-03 23:50 and 2025-03-04 00:10 UTC");
    }
}
