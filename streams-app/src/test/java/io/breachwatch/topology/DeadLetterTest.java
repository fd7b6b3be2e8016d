package io.breachwatch.topology;

import io.breachwatch.metrics.MetricNames;
import io.breachwatch.schema.Action;
import io.breachwatch.schema.Outcome;
import org.apache.kafka.common.header.Headers;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Map;
import java.util.stream.IntStream;

import static io.breachwatch.topology.TopologyHarness.event;
import static io.breachwatch.topology.TopologyHarness.export;
import static io.breachwatch.topology.TopologyHarness.minutes;
import static org.assertj.core.api.Assertions.assertThat;

class DeadLetterTest {
    private static final byte[] KEY = "any key".getBytes(StandardCharsets.UTF_8);

    @Test
    void poisonPillGoesToDeadLetterTopicWhileGoodRecordsStillFire() {
        var corrupt = new byte[]{0, 0, 0, 0, 1, (byte) 0xff, (byte) 0xfe, 7};
        try (var h = TopologyHarness.start(Map.of("detect.bulk-export.threshold", "100"))) {
            h.send(export("u-1", minutes(1), 60));
            h.sendRaw(KEY, corrupt);
            h.send(export("u-1", minutes(2), 60));

            var dead = h.deadLetters();
            assertThat(dead).hasSize(1);
            assertThat(dead.get(0).key()).isEqualTo(KEY);
            assertThat(dead.get(0).value()).isEqualTo(corrupt);
            var headers = dead.get(0).headers();
            assertThat(header(headers, "dlq.reason")).isEqualTo("corrupt-avro");
            assertThat(header(headers, "dlq.error.class")).isEqualTo("org.apache.kafka.common.errors.SerializationException");
            assertThat(header(headers, "dlq.error.message")).isNotBlank();
            assertThat(header(headers, "dlq.source.topic")).isEqualTo("crm.access-events");
            assertThat(header(headers, "dlq.source.partition")).isEqualTo("0");
            assertThat(header(headers, "dlq.source.offset")).isEqualTo("1");
            assertThat(header(headers, "dlq.time")).isNotBlank();
            assertThat(h.incidents()).hasSize(1);
            assertThat(h.counter(MetricNames.EVENTS_DEAD_LETTERED, "reason", "corrupt-avro")).isEqualTo(1);
            assertThat(h.counter(MetricNames.EVENTS_CONSUMED, "action", "EXPORT", "outcome", "SUCCESS")).isEqualTo(2);
        }
    }

    @Test
    void eachKindOfBadRecordIsDeadLetteredWithItsReason() {
        try (var h = TopologyHarness.start()) {
            h.sendRaw(KEY, "not avro".getBytes(StandardCharsets.UTF_8));
            h.sendRaw(KEY, new byte[]{0, 0, 0, 0x7f, 0x7f, 2});
            h.sendRaw(KEY, null);
            h.send(event("u-1", minutes(1)).setEventId("").build());
            h.send(event("", minutes(1)).build());
            h.send(event("u-1", minutes(1)).setTenantId(" ").build());
            h.send(event("u-1", minutes(1)).setRecordCount(-5).build());
            h.sendRaw(KEY, h.encode(event("u-1", Instant.ofEpochMilli(-1)).build()));
            h.send(event("u-1", minutes(1)).setAction(Action.LOGIN).setOutcome(Outcome.SUCCESS).build());

            assertThat(h.deadLetters()).extracting(r -> header(r.headers(), "dlq.reason")).containsExactly(
                    "not-wire-format", "unknown-schema", "null-value", "missing-field", "missing-field", "missing-field",
                    "negative-count", "invalid-timestamp");
            assertThat(h.counter(MetricNames.EVENTS_DEAD_LETTERED, "reason", "missing-field")).isEqualTo(3);
            assertThat(h.counter(MetricNames.EVENTS_CONSUMED, "action", "LOGIN", "outcome", "SUCCESS")).isEqualTo(1);
        }
    }

    @Test
    void deadLetterMessageNamesTheFieldButNotItsValue() {
        try (var h = TopologyHarness.start()) {
            h.send(event("u-1", minutes(1)).setUserId("").setCustomerId("c-secret").build());

            var message = header(h.deadLetters().get(0).headers(), "dlq.error.message");
            assertThat(message).isEqualTo("user_id is empty").doesNotContain("c-secret");
        }
    }

    @Test
    void manyPoisonPillsNeverStopTheApp() {
        try (var h = TopologyHarness.start(Map.of("detect.bulk-export.threshold", "100"))) {
            IntStream.range(0, 50).forEach(i -> h.sendRaw(KEY, new byte[]{(byte) i}));
            h.send(export("u-1", minutes(1), 101));

            assertThat(h.deadLetters()).hasSize(50);
            assertThat(h.incidents()).hasSize(1);
        }
    }

    private static String header(Headers headers, String key) {
        var h = headers.lastHeader(key);
        return h == null ? null : new String(h.value(), StandardCharsets.UTF_8);
    }
}
