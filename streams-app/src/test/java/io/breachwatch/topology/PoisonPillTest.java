package io.breachwatch.topology;

import io.breachwatch.metrics.MetricNames;
import io.breachwatch.schema.Action;
import io.breachwatch.schema.Incident;
import org.apache.kafka.common.header.Headers;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static io.breachwatch.topology.TopologyHarness.T0;
import static io.breachwatch.topology.TopologyHarness.event;
import static io.breachwatch.topology.TopologyHarness.export;
import static io.breachwatch.topology.TopologyHarness.minutes;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

/** Every kind of bad input mixed into good traffic: all dead-lettered with their reason, the good traffic detected. */
class PoisonPillTest {
    /** Real bounds (the harness lifts max-future); the driver's wall clock is T0. */
    private static final Map<String, String> SETTINGS = Map.of(
            "detect.bulk-export.threshold", "100",
            "validation.max-future", "1h",
            "validation.max-age", "400d");

    @Test
    void deadLettersEveryKindOfPoisonPillWhileGoodTrafficStillFires() {
        try (var h = TopologyHarness.start(SETTINGS)) {
            var pills = new PoisonPills(h.registry, h.config.inputTopic()).all(event("u-pill", minutes(0.5)).build(), T0);
            assertThat(pills).hasSizeGreaterThanOrEqualTo(20);

            assertThatCode(() -> {
                for (int i = 0; i < pills.size(); i++) {
                    h.send(export("u-good", minutes(1 + i * 0.5), 10));
                    h.sendRaw(pills.get(i).key(), pills.get(i).value());
                }
            }).as("the topology never throws").doesNotThrowAnyException();

            var dead = h.deadLetters();
            assertThat(dead).hasSameSizeAs(pills);
            for (int i = 0; i < pills.size(); i++) {
                var pill = pills.get(i);
                var record = dead.get(i);
                assertThat(header(record.headers(), "dlq.reason")).as(pill.kind()).isEqualTo(pill.reason().code());
                assertThat(record.key()).as(pill.kind()).isEqualTo(pill.key());
                assertThat(record.value()).as(pill.kind()).isEqualTo(pill.value());
                assertThat(header(record.headers(), "dlq.source.offset")).as(pill.kind()).isEqualTo(Integer.toString(2 * i + 1));
                assertThat(header(record.headers(), "dlq.error.message")).as(pill.kind()).isNotBlank();
            }
            assertThat(h.counter(MetricNames.EVENTS_CONSUMED, "action", "EXPORT")).as("every good record processed").isEqualTo(pills.size());
            assertThat(bulkExports(h.incidents())).as("the good traffic's incident").isNotEmpty()
                    .allSatisfy(incident -> assertThat(incident.getUserId()).isEqualTo("u-good"));
            assertAccountingHolds(h, 2L * pills.size());
            System.err.printf("poison pills (driver): %d events in, %d pills dead-lettered, %d kinds%n",
                    2 * pills.size(), dead.size(), pills.stream().map(PoisonPills.Pill::reason).distinct().count());
        }
    }

    @Test
    void countsEveryPillUnderItsReason() {
        try (var h = TopologyHarness.start(SETTINGS)) {
            var pills = new PoisonPills(h.registry, h.config.inputTopic()).all(event("u-pill", minutes(1)).build(), T0);
            pills.forEach(p -> h.sendRaw(p.key(), p.value()));

            for (var reason : DeadLetterReason.values()) {
                long expected = pills.stream().filter(p -> p.reason() == reason).count();
                assertThat(h.counter(MetricNames.EVENTS_DEAD_LETTERED, "reason", reason.code())).as(reason.code()).isEqualTo(expected);
                assertThat(expected).as("a pill of reason %s", reason.code()).isPositive();
            }
        }
    }

    @Test
    void unknownEnumSymbolResolvesToTheReadersDefault() {
        try (var h = TopologyHarness.start(SETTINGS)) {
            var value = new PoisonPills(h.registry, h.config.inputTopic()).unknownActionSymbol(event("u-1", minutes(1)).build());
            h.sendRaw("k".getBytes(StandardCharsets.UTF_8), value);

            assertThat(h.deadLetters()).isEmpty();
            assertThat(h.counter(MetricNames.EVENTS_CONSUMED, "action", Action.OTHER.name())).isEqualTo(1);
        }
    }

    @Test
    void timeBoundsFollowConfiguration() {
        try (var h = TopologyHarness.start(Map.of("validation.max-future", "3d", "validation.max-age", "0s"))) {
            h.send(event("u-1", minutes(60 * 24 * 2)).build(), event("u-1", T0.minus(java.time.Duration.ofDays(900))).build());
            h.send(event("u-1", minutes(60 * 24 * 4)).build());

            var dead = h.deadLetters();
            assertThat(dead).hasSize(1);
            assertThat(header(dead.get(0).headers(), "dlq.error.message")).isEqualTo("timestamp is more than PT72H after ingest time (validation.max-future)");
        }
    }

    /** records consumed = valid (events consumed) + dead-lettered; late is a per-rule share of the valid ones. */
    static void assertAccountingHolds(TopologyHarness h, long recordsIn) {
        double consumed = h.counter(MetricNames.RECORDS_CONSUMED);
        double valid = h.counter(MetricNames.EVENTS_CONSUMED);
        double dead = h.counter(MetricNames.EVENTS_DEAD_LETTERED);
        assertThat(consumed).as("records consumed").isEqualTo(recordsIn);
        assertThat(valid + dead).as("valid + dead-lettered").isEqualTo(consumed);
        for (var rule : h.config.rules()) {
            assertThat(h.counter(MetricNames.EVENTS_LATE, "rule", rule.ruleId())).as("late for %s", rule.ruleId()).isLessThanOrEqualTo(valid);
        }
    }

    private static List<Incident> bulkExports(List<Incident> incidents) {
        var out = new ArrayList<Incident>();
        incidents.stream().filter(i -> i.getRuleId().equals("bulk-export")).forEach(out::add);
        return out;
    }

    static String header(Headers headers, String key) {
        var h = headers.lastHeader(key);
        return h == null ? null : new String(h.value(), StandardCharsets.UTF_8);
    }
}
