package io.breachwatch.app;

import io.breachwatch.embedded.EmbeddedKafkaBroker;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code dlq-replay} on a real broker: a dry run copies nothing, {@code --reason} copies only that reason with the
 * original key, bytes, timestamp and non-dlq headers, and a re-run copies only what was dead-lettered since.
 */
class DlqReplayIT {
    private static final String DLQ = "crm.access-events.dlq";
    private static final String INPUT = "crm.access-events";

    @TempDir
    Path dir;

    @Test
    void copiesDeadLettersBackOnceWithTheirOriginalKeyBytesAndHeaders() throws Exception {
        try (var kafka = EmbeddedKafkaBroker.builder().dataDir(dir.resolve("kafka")).start();
             var producer = producer(kafka)) {
            kafka.createTopics(2, DLQ);
            kafka.createTopics(1, INPUT);
            for (int i = 1; i <= 3; i++) {
                producer.send(deadLetter("k-schema-" + i, "unknown-schema", 1_000L * i)).get();
            }
            for (int i = 1; i <= 2; i++) {
                producer.send(deadLetter("k-corrupt-" + i, "corrupt-avro", 5_000L + i)).get();
            }

            var dry = replay(kafka, "--dry-run");
            assertThat(dry.out).contains("dry run: would copy 5, skipped 0", "unknown-schema       would copy 3", "corrupt-avro         would copy 2");

            var first = replay(kafka, "--reason", "unknown-schema");
            assertThat(first.out).contains("(group breachwatch-dlq-replay-unknown-schema): copied 3, skipped 2");
            var copies = readAll(kafka, INPUT);
            assertThat(copies).extracting(r -> new String(r.key(), StandardCharsets.UTF_8))
                    .containsExactlyInAnyOrder("k-schema-1", "k-schema-2", "k-schema-3");
            for (var copy : copies) {
                var key = new String(copy.key(), StandardCharsets.UTF_8);
                assertThat(copy.value()).isEqualTo(("bytes of " + key).getBytes(StandardCharsets.UTF_8));
                assertThat(copy.timestamp()).isEqualTo(1_000L * Long.parseLong(key.substring(key.length() - 1)));
                assertThat(header(copy, "trace-id")).isEqualTo("t-" + key);
                assertThat(header(copy, "breachwatch.replayed-from")).startsWith(DLQ + "/");
                assertThat(copy.headers()).noneMatch(h -> h.key().startsWith("dlq."));
            }

            var again = replay(kafka, "--reason", "unknown-schema");
            assertThat(again.out).contains("copied 0, skipped 0");
            producer.send(deadLetter("k-schema-4", "unknown-schema", 4_000L)).get();
            var later = replay(kafka, "--reason", "unknown-schema");
            assertThat(later.out).contains("copied 1, skipped 0");
            var all = readAll(kafka, INPUT);
            System.err.printf("dlq-replay: 6 DLQ records (4 unknown-schema, 2 corrupt-avro), 3 runs, %d copies in %s%n", all.size(), INPUT);
            assertThat(all).as("each unknown-schema record copied exactly once").hasSize(4);
        }
    }

    @Test
    void unknownReasonIsAConfigurationError() {
        var err = new StringWriter();
        var code = Main.execute(new String[]{"dlq-replay", "--bootstrap", "127.0.0.1:1", "--reason", "bogus"}, Map.of(),
                new PrintWriter(new StringWriter(), true), new PrintWriter(err, true));

        assertThat(code).isEqualTo(Main.EXIT_CONFIG);
        assertThat(err.toString()).contains("--reason: unknown reason 'bogus'; allowed: null-value, empty-value");
    }

    private record Run(int code, String out) {
    }

    private static Run replay(EmbeddedKafkaBroker kafka, String... options) {
        var args = new ArrayList<>(List.of("dlq-replay", "--bootstrap", kafka.bootstrapServers()));
        args.addAll(List.of(options));
        var out = new StringWriter();
        var err = new StringWriter();
        var code = Main.execute(args.toArray(String[]::new), Map.of(), new PrintWriter(out, true), new PrintWriter(err, true));
        assertThat(code).as("exit code; stderr: %s", err).isEqualTo(Main.EXIT_OK);
        System.err.print(out);
        return new Run(code, out.toString());
    }

    private static ProducerRecord<byte[], byte[]> deadLetter(String key, String reason, long timestamp) {
        var headers = new RecordHeaders();
        headers.add("trace-id", ("t-" + key).getBytes(StandardCharsets.UTF_8));
        headers.add("dlq.reason", reason.getBytes(StandardCharsets.UTF_8));
        headers.add("dlq.error.class", "Example".getBytes(StandardCharsets.UTF_8));
        headers.add("dlq.source.topic", INPUT.getBytes(StandardCharsets.UTF_8));
        return new ProducerRecord<>(DLQ, null, timestamp, key.getBytes(StandardCharsets.UTF_8),
                ("bytes of " + key).getBytes(StandardCharsets.UTF_8), headers);
    }

    private static KafkaProducer<byte[], byte[]> producer(EmbeddedKafkaBroker kafka) {
        return new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers()),
                new ByteArraySerializer(), new ByteArraySerializer());
    }

    /** Everything committed in {@code topic} now (read_committed, up to the end offsets). */
    private static List<ConsumerRecord<byte[], byte[]>> readAll(EmbeddedKafkaBroker kafka, String topic) {
        var records = new ArrayList<ConsumerRecord<byte[], byte[]>>();
        try (var consumer = new KafkaConsumer<>(Map.<String, Object>of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers(),
                ConsumerConfig.GROUP_ID_CONFIG, "dlq-replay-it-" + UUID.randomUUID(),
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed"), new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            var partitions = consumer.partitionsFor(topic).stream()
                    .map(p -> new org.apache.kafka.common.TopicPartition(topic, p.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            var end = consumer.endOffsets(partitions);
            var deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (partitions.stream().anyMatch(tp -> consumer.position(tp) < end.get(tp)) && System.nanoTime() < deadline) {
                consumer.poll(Duration.ofMillis(200)).forEach(records::add);
            }
        }
        return records;
    }

    private static String header(ConsumerRecord<byte[], byte[]> record, String key) {
        var header = record.headers().lastHeader(key);
        return header == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    }
}
