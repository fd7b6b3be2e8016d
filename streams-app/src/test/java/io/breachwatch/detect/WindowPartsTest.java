package io.breachwatch.detect;

import io.breachwatch.config.Settings;
import io.breachwatch.metrics.DetectorMetrics;
import io.breachwatch.topology.TopologyHarness;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.processor.api.MockProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.NavigableMap;
import java.util.TreeMap;

import static io.breachwatch.topology.TopologyHarness.minutes;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

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
        var bytes = EntityWindows.write(windows);
        var back = EntityWindows.read(bytes);

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

    /** {@code count} windows of {@code user}, each with {@code distinct} customers read. */
    private static TreeMap<Long, WindowAggregate> windowsOf(String user, int count, int distinct) {
        var windows = new TreeMap<Long, WindowAggregate>();
        for (int w = 0; w < count; w++) {
            var agg = new WindowAggregate();
            for (int i = 0; i < distinct; i++) {
                agg.add(TopologyHarness.event(user, minutes(w + i / 1000.0)).setCustomerId(user + "-c-" + i).build(), user + "-c-" + i);
            }
            windows.put(minutes(5 * w).toEpochMilli(), agg);
        }
        return windows;
    }

    @Test
    void anEncoderReusedFromEntityToEntityWritesWhatAFreshOneWrites() {
        var encoder = new EntityWindows.Encoder();
        var scraper = windowsOf("u-scraper", 12, 6_000); // beyond what the encoder keeps between entities
        var small = windowsOf("u-1", 3, 4);
        var other = windowsOf("u-2", 2, 40);

        for (var windows : List.of(small, scraper, small, other, scraper, other)) {
            assertThat(encoder.encode(windows)).isEqualTo(EntityWindows.write(windows));
        }
        assertThat(EntityWindows.read(encoder.encode(other)).firstEntry().getValue().distinctCount()).isEqualTo(40);
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
            assertThat(h.windows(BulkExportDetector.RULE, "acme/u-1")).hasSize(12); // 1 h windows advancing by 5 min hold 10:00
            assertThat(h.window(BulkExportDetector.RULE, "acme/u-1", minutes(0)).recordCount()).isEqualTo(10);

            // 10:00 is in windows up to [10:00, 11:00), closed at 11:05; the purge runs every 65 min of stream time
            // (the retention), and only after the last event of u-1 has closed all its windows (11:05 + 1 h 5 min)
            h.send(TopologyHarness.export("u-1", minutes(66), 1));
            assertThat(h.windows(BulkExportDetector.RULE, "acme/u-1").firstKey()).as("closed windows are gone").isEqualTo(minutes(10).toEpochMilli());
            h.send(TopologyHarness.export("u-2", minutes(200), 1), TopologyHarness.export("u-2", minutes(330), 1));
            assertThat(h.windows(BulkExportDetector.RULE, "acme/u-1")).as("an entity whose windows all closed is forgotten").isNull();
        }
    }

    @Test
    void newestWindowIsReadUpFrontAndFormatsOneAndTwoAreStillRead() {
        var windows = new TreeMap<Long, WindowAggregate>();
        for (int w = 0; w < 3; w++) {
            var agg = new WindowAggregate();
            agg.add(TopologyHarness.event("u-1", minutes(5 * w)).build(), "c-" + w);
            windows.put(minutes(5 * w).toEpochMilli(), agg);
        }
        var current = EntityWindows.write(windows);
        var format2 = legacyFormat(windows, 2);
        var format1 = legacyFormat(windows, 1);

        assertThat(current[0]).isEqualTo((byte) 3);
        for (var bytes : List.of(current, format2, format1)) {
            assertThat(EntityWindows.newestStart(bytes)).isEqualTo(minutes(10).toEpochMilli());
            var back = EntityWindows.read(bytes);
            assertThat(back.keySet()).containsExactlyElementsOf(windows.keySet());
            windows.forEach((start, agg) -> assertThat(back.get(start).explain()).isEqualTo(agg.explain()));
        }
        assertThat(EntityWindows.newestStart(EntityWindows.write(new TreeMap<>()))).isEqualTo(EntityWindows.NONE);
        assertThatThrownBy(() -> EntityWindows.newestStart(new byte[] {9})).hasMessageContaining("Unknown entity windows format version 9");
    }

    /** Windows as formats 1 and 2 wrote them (before 2026-12-06): every window's content in full, no references. */
    private static byte[] legacyFormat(TreeMap<Long, WindowAggregate> windows, int version) {
        var tables = new CompactCodec.Tables();
        var body = new CompactWriter(256);
        body.writeVarLong(windows.size());
        windows.forEach((start, agg) -> {
            body.writeVarLong(start);
            agg.encode(body, tables);
        });
        var out = new CompactWriter(256);
        out.writeByte(version);
        if (version == 2) {
            out.writeVarLong(windows.lastKey() + 1);
        }
        tables.writeTables(out);
        out.write(body);
        return out.toByteArray();
    }

    /**
     * Windows with the same content are one object ({@link EntityWindows#add}), and each window still ends up
     * exactly as if it had taken its events alone: checked against windows kept apart, over random events of one
     * user (bursts, hours of silence, events out of order), through the store's encoding after every event.
     */
    @Test
    void sharedWindowsHoldWhatWindowsKeptApartWould() {
        long size = Duration.ofMinutes(60).toMillis();
        long advance = Duration.ofMinutes(5).toMillis();
        var random = new java.util.Random(7);
        NavigableMap<Long, WindowAggregate> shared = new TreeMap<>();
        var apart = new TreeMap<Long, WindowAggregate>();
        var encoder = new EntityWindows.Encoder();
        long now = minutes(0).toEpochMilli();
        int sharedObjects = 0;
        for (int i = 0; i < 3_000; i++) {
            now += switch (random.nextInt(4)) {
                case 0 -> random.nextInt(5_000); // a burst
                case 1 -> random.nextInt(600_000);
                case 2 -> random.nextInt(4 * 3_600_000); // hours of silence
                default -> 0;
            };
            var ts = Math.max(0, now - (random.nextInt(5) == 0 ? random.nextInt(30 * 60_000) : 0)); // some out of order
            var event = TopologyHarness.event("u-1", Instant.ofEpochMilli(ts)).setCustomerId("c-" + random.nextInt(50))
                    .setFields(List.of("f-" + random.nextInt(3))).build();
            var distinct = random.nextBoolean() ? event.getCustomerId() : null;
            // as the aggregator does: closed windows go, the open ones holding ts take the event
            long lastClosed = now - size;
            shared.headMap(lastClosed, true).clear();
            apart.headMap(lastClosed, true).clear();
            long first = Math.max(Math.max(0, ts - size + advance) / advance * advance, lastClosed < 0 ? 0 : (lastClosed / advance + 1) * advance);
            if (first > ts) {
                continue; // late
            }
            EntityWindows.add(shared, first, ts, advance, event, distinct);
            for (long start = first; start <= ts; start += advance) {
                apart.computeIfAbsent(start, s -> new WindowAggregate()).add(event, distinct);
            }

            var back = EntityWindows.read(encoder.encode(shared));
            assertThat(back.keySet()).containsExactlyElementsOf(apart.keySet());
            for (var window : apart.entrySet()) {
                assertThat(encoded(back.get(window.getKey()))).as("window %d after event %d", window.getKey(), i)
                        .isEqualTo(encoded(window.getValue()));
            }
            var objects = java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<WindowAggregate, Boolean>());
            objects.addAll(back.values());
            sharedObjects += back.size() - objects.size();
            shared = back; // go on from what the store holds, as the aggregator does after a restart
        }
        assertThat(sharedObjects).as("windows that were one object after a read back").isGreaterThan(3_000);
    }

    @Test
    void aSharedWindowIsWrittenOnceAndABadReferenceIsNamed() {
        var aggregate = new WindowAggregate().add(TopologyHarness.event("u-1", minutes(0)).build(), "c-1");
        var windows = new TreeMap<Long, WindowAggregate>();
        windows.put(minutes(0).toEpochMilli(), aggregate);
        windows.put(minutes(5).toEpochMilli(), aggregate);
        var alone = new TreeMap<Long, WindowAggregate>();
        alone.put(minutes(0).toEpochMilli(), aggregate);

        var bytes = EntityWindows.write(windows);
        var back = EntityWindows.read(bytes);
        assertThat(back.get(minutes(0).toEpochMilli())).isSameAs(back.get(minutes(5).toEpochMilli()));
        assertThat(bytes.length).as("the second window is a start and a reference")
                .isLessThanOrEqualTo(EntityWindows.write(alone).length + 8);

        bytes[bytes.length - 1] = 10; // the second window's reference, zigzag varint 5: before the first window
        assertThatThrownBy(() -> EntityWindows.read(bytes)).isInstanceOf(org.apache.kafka.common.errors.SerializationException.class)
                .hasMessageContaining("Cannot read entity windows").rootCause().hasMessageContaining("refers to the window 5 places before it");
    }

    private static byte[] encoded(WindowAggregate aggregate) {
        return WindowAggregate.SERDE.serializer().serialize("t", aggregate);
    }

    @Test
    void aPurgeBeforeTheRuleHasSeenAnEventKeepsTheWindowsRestoredFromBefore() {
        var rule = new BulkExportDetector(BulkExportDetector.KEYS.read(Settings.of(java.util.Map.of())));
        var name = WindowedDetection.windowStoreName(BulkExportDetector.RULE);
        var context = new MockProcessorContext<String, Finding>();
        var store = MockContexts.addStore(context, name, Serdes.ByteArray());
        var restored = new TreeMap<Long, WindowAggregate>();
        restored.put(minutes(0).toEpochMilli(), new WindowAggregate());
        store.put("acme/u-1", EntityWindows.write(restored)); // as a restart finds it
        var aggregator = new WindowedDetection.WindowAggregator(rule, name, new DetectorMetrics(new SimpleMeterRegistry()));
        aggregator.init(context);

        // the task's stream time moved on an event of another rule; this rule has not seen one since the restart
        context.scheduledPunctuators().get(0).getPunctuator().punctuate(minutes(10).toEpochMilli());
        assertThat(store.get("acme/u-1")).as("kept until the rule knows the time").isNotNull();

        aggregator.process(new Record<>("acme/u-2", TopologyHarness.export("u-2", minutes(200), 1), minutes(200).toEpochMilli()));
        context.scheduledPunctuators().get(0).getPunctuator().punctuate(minutes(200).toEpochMilli());
        assertThat(store.get("acme/u-1")).as("closed for good by then").isNull();
        assertThat(store.get("acme/u-2")).isNotNull();
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

    @Test
    void distinctHashIsFnv1aOverTheUtf8BytesForAnyText() {
        for (var value : List.of("", "c-000123", "客户-42", "x\u00e9y", "emoji \uD83D\uDE00 end", "\uD83D\uDE00")) {
            var h = 0xcbf29ce484222325L;
            for (var b : value.getBytes(StandardCharsets.UTF_8)) {
                h = (h ^ (b & 0xff)) * 0x100000001b3L;
            }
            assertThat(WindowAggregate.hash64(value)).as(value).isEqualTo(h);
        }
    }
}
