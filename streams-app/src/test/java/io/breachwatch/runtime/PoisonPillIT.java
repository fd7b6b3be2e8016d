package io.breachwatch.runtime;

import io.breachwatch.topology.PoisonPills;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.streams.KafkaStreams;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Poison pills among good traffic on a real broker, through the wired {@link Service} with exactly-once: every pill
 * lands in the dead-letter topic (read_committed) with its key, bytes and headers, the app stays RUNNING, and the
 * good traffic's incident appears.
 */
class PoisonPillIT {
    private static final Duration TIMEOUT = Duration.ofSeconds(60);

    @TempDir
    Path dir;

    @Test
    void deadLettersPoisonPillsAndKeepsRunningUnderExactlyOnce() throws Exception {
        try (var h = ServiceHarness.create(dir, Map.of("streams.processing-guarantee", "exactly_once_v2"))) {
            h.service.start();
            assertThat(h.service.awaitRunning(TIMEOUT)).as("RUNNING").isTrue();
            var topic = h.config.topology().inputTopic();
            var start = Instant.now().truncatedTo(ChronoUnit.SECONDS).minus(Duration.ofMinutes(2));
            var pills = onePerReason(new PoisonPills(h.registry, topic).all(h.event("u-pill", start).build(), Instant.now()));

            var good = 0;
            for (int i = 0; i < pills.size(); i++) {
                h.send(List.of(h.export("u-good", start.plusSeconds(i), 2_000)));
                good++;
                var pill = pills.get(i);
                h.sendRaw(new String(pill.key(), StandardCharsets.UTF_8), pill.value());
            }
            h.flush();

            var dead = readDeadLetters(h, pills.size());
            for (var pill : pills) {
                var record = dead.stream().filter(r -> java.util.Arrays.equals(r.key(), pill.key())).findFirst()
                        .orElseThrow(() -> new AssertionError("no dead letter for " + pill.kind()));
                assertThat(record.value()).as(pill.kind()).isEqualTo(pill.value());
                assertThat(header(record, "dlq.reason")).as(pill.kind()).isEqualTo(pill.reason().code());
                assertThat(header(record, "dlq.source.topic")).as(pill.kind()).isEqualTo(topic);
                for (var name : List.of("dlq.error.class", "dlq.error.message", "dlq.source.partition", "dlq.source.offset", "dlq.time")) {
                    assertThat(header(record, name)).as("%s of %s", name, pill.kind()).isNotBlank();
                }
            }
            var incident = await().atMost(TIMEOUT).until(() -> ServiceIT.incidentOf(h, "bulk-export"), i -> i != null);
            assertThat(incident.path("user_id").asText()).isEqualTo("u-good");
            assertThat(h.service.streams().state()).isEqualTo(KafkaStreams.State.RUNNING);
            System.err.printf("poison pills (broker, exactly-once): %d events in (%d good, %d pills), %d incident(s), %d DLQ records%n",
                    good + pills.size(), good, pills.size(), incidentCount(h), dead.size());
            assertThat(dead).hasSameSizeAs(pills);
        }
    }

    /** A smaller mix: the first pill of each reason. */
    private static List<PoisonPills.Pill> onePerReason(List<PoisonPills.Pill> all) {
        var seen = new HashSet<>();
        return all.stream().filter(p -> seen.add(p.reason())).toList();
    }

    private static List<ConsumerRecord<byte[], byte[]>> readDeadLetters(ServiceHarness h, int expected) {
        var props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, h.kafka.bootstrapServers());
        props.put(ConsumerConfig.GROUP_ID_CONFIG, "poison-pill-it-dlq");
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        var records = new ArrayList<ConsumerRecord<byte[], byte[]>>();
        try (var consumer = new KafkaConsumer<>(props, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            consumer.subscribe(Set.of(h.config.topology().dlqTopic()));
            await().atMost(TIMEOUT).until(() -> {
                consumer.poll(Duration.ofMillis(200)).forEach(records::add);
                return records.size() >= expected;
            });
            // anything more would be a duplicate: give it one more poll to show up
            consumer.poll(Duration.ofMillis(500)).forEach(records::add);
        }
        return records;
    }

    private static int incidentCount(ServiceHarness h) throws Exception {
        var response = h.get("/api/incidents");
        return response.status() == 200 ? new com.fasterxml.jackson.databind.ObjectMapper().readTree(response.body()).path("incidents").size() : -1;
    }

    private static String header(ConsumerRecord<byte[], byte[]> record, String key) {
        var header = record.headers().lastHeader(key);
        return header == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    }
}
