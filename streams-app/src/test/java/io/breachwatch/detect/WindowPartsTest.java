package io.breachwatch.detect;

import io.breachwatch.config.Settings;
import io.breachwatch.topology.TopologyHarness;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.TreeMap;

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
    void entityWindowsSurviveTheirSerdeSharingStringsAndHashes() {
        var windows = new TreeMap<Long, WindowAggregate>();
        for (int w = 0; w < 12; w++) {
            var agg = new WindowAggregate();
            for (int i = w; i < 40; i++) {
                agg.add(TopologyHarness.event("u-1", minutes(i)).setCustomerId("c-" + i).setFields(List.of("email", "mobile")).build(), "c-" + i);
            }
            windows.put(minutes(5 * w).toEpochMilli(), agg);
        }
        var bytes = EntityWindows.SERDE.serializer().serialize("t", windows);
        var back = EntityWindows.SERDE.deserializer().deserialize("t", bytes);

        assertThat(back.keySet()).containsExactlyElementsOf(windows.keySet());
        windows.forEach((start, agg) -> {
            var copy = back.get(start);
            assertThat(copy.explain()).isEqualTo(agg.explain());
            assertThat(copy.userId()).isEqualTo("u-1");
            assertThat(copy.distinctCount()).isEqualTo(agg.distinctCount());
        });
        var separately = windows.values().stream().mapToInt(a -> WindowAggregate.SERDE.serializer().serialize("t", a).length).sum();
        assertThat(bytes.length).as("overlapping windows share ids and hashes").isLessThan(separately * 2 / 3);
    }

    @Test
    void distinctValuesStayExactAfterAReadBack() {
        var agg = new WindowAggregate();
        agg.add(TopologyHarness.event("u-1", minutes(0)).build(), "c-1");
        var back = WindowAggregate.SERDE.deserializer().deserialize("t", WindowAggregate.SERDE.serializer().serialize("t", agg));
        back.add(TopologyHarness.event("u-1", minutes(1)).build(), "c-1");
        back.add(TopologyHarness.event("u-1", minutes(2)).build(), "c-2");
        assertThat(back.distinctCount()).isEqualTo(2);
    }

    @Test
    void windowStoreDropsClosedWindowsAndForgetsSilentEntities() {
        try (var h = TopologyHarness.start(TopologyHarness.only(java.util.Map.of(), BulkExportDetector.RULE))) {
            h.send(TopologyHarness.export("u-1", minutes(0), 10));
            var store = h.driver.<String, java.util.NavigableMap<Long, WindowAggregate>>getKeyValueStore(
                    WindowedDetection.windowStoreName(BulkExportDetector.RULE));
            assertThat(store.get("acme/u-1")).hasSize(12); // 1 h windows advancing by 5 min hold 10:00
            assertThat(h.window(BulkExportDetector.RULE, "acme/u-1", minutes(0)).recordCount()).isEqualTo(10);

            // 10:00 is in windows up to [10:00, 11:00), closed at 11:05; the purge runs every 65 min of stream time
            // (the retention), and only after the last event of u-1 has closed all its windows (11:05 + 1 h 5 min)
            h.send(TopologyHarness.export("u-1", minutes(66), 1));
            assertThat(store.get("acme/u-1").firstKey()).as("closed windows are gone").isEqualTo(minutes(10).toEpochMilli());
            h.send(TopologyHarness.export("u-2", minutes(200), 1), TopologyHarness.export("u-2", minutes(330), 1));
            assertThat(store.get("acme/u-1")).as("an entity whose windows all closed is forgotten").isNull();
        }
    }

    @Test
    void exportRulesKeepNoDistinctValues() {
        var event = TopologyHarness.export("u-1", minutes(0), 10);
        event.setCustomerId("c-1");
        var rule = new BulkExportDetector(BulkExportDetector.KEYS.read(Settings.of(java.util.Map.of())));
        assertThat(rule.distinctValue(event)).isNull();
        var enumeration = new RecordEnumerationDetector(RecordEnumerationDetector.KEYS.read(Settings.of(java.util.Map.of())));
        assertThat(enumeration.distinctValue(event)).isEqualTo("c-1");
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
