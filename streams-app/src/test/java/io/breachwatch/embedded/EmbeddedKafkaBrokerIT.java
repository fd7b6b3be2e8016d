package io.breachwatch.embedded;

import ch.qos.logback.classic.LoggerContext;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

class EmbeddedKafkaBrokerIT {

    @Test
    void keepsRecordsAcrossRestartOnSamePortAndDeletesTempDirOnClose() throws Exception {
        var logging = (LoggerContext) LoggerFactory.getILoggerFactory();
        logging.getTurboFilterList().removeIf(Logging.RetriableSequenceRace.class::isInstance);
        long t0 = System.nanoTime();
        var broker = EmbeddedKafkaBroker.startOnFreePort();
        System.err.printf("embedded broker started in %d ms%n", (System.nanoTime() - t0) / 1_000_000);
        var dir = broker.dataDir();
        try (broker) {
            assertThat(Logging.dropsRetriableSequenceRace()).as("the in-process broker drops its retriable TV2 sequence race ERROR").isTrue();
            broker.createTopics(2, "it.topic");
            produce(broker, "k1", "v1");
            var bootstrap = broker.bootstrapServers();

            broker.stop();
            assertThat(broker.isRunning()).isFalse();
            broker.start();

            assertThat(broker.bootstrapServers()).isEqualTo(bootstrap);
            produce(broker, "k2", "v2");
            assertThat(consumeValues(broker, 2)).containsExactlyInAnyOrder("v1", "v2");
        }
        assertThat(Files.exists(dir)).isFalse();
    }

    private static void produce(EmbeddedKafkaBroker broker, String key, String value) throws Exception {
        try (var producer = new KafkaProducer<>(Map.<String, Object>of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers(),
                ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true), new StringSerializer(), new StringSerializer())) {
            producer.send(new ProducerRecord<>("it.topic", key, value)).get();
        }
    }

    private static List<String> consumeValues(EmbeddedKafkaBroker broker, int expected) {
        var values = new ArrayList<String>();
        try (var consumer = new KafkaConsumer<>(Map.<String, Object>of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers(),
                ConsumerConfig.GROUP_ID_CONFIG, "it-group", ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed"), new StringDeserializer(), new StringDeserializer())) {
            consumer.subscribe(List.of("it.topic"));
            await().atMost(Duration.ofSeconds(60)).until(() -> {
                consumer.poll(Duration.ofMillis(200)).forEach(r -> values.add(r.value()));
                return values.size() >= expected;
            });
        }
        return values;
    }
}
