package io.breachwatch.app;

import io.breachwatch.config.AppConfig;
import io.breachwatch.embedded.EmbeddedKafkaBroker;
import io.breachwatch.runtime.Service;
import io.breachwatch.runtime.StartupChecks;
import io.breachwatch.schema.AccessEvent;
import io.breachwatch.schema.Action;
import io.breachwatch.schema.Incident;
import io.breachwatch.schema.Outcome;
import io.breachwatch.serde.AvroSerde;
import io.breachwatch.serde.InMemorySchemaRegistry;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The service against a broker whose only client listener is SASL_PLAINTEXT/PLAIN: standard Kafka client
 * properties passed through the environment ({@code KAFKA_SECURITY_PROTOCOL}, {@code KAFKA_SASL_MECHANISM},
 * {@code KAFKA_SASL_JAAS_CONFIG}) are all it takes, and wrong credentials stop {@code run} within seconds with
 * one clear line and exit code 1.
 */
class SaslIT {
    private static final Duration TIMEOUT = Duration.ofSeconds(60);
    private static final String APP_USER = "breachwatch-app";
    private static final String APP_PASSWORD = "app-secret-0123";
    private static final String CLIENT_USER = "crm-producer";
    private static final String CLIENT_PASSWORD = "producer-secret-4567";

    @TempDir
    static Path dir;
    private static EmbeddedKafkaBroker kafka;

    @BeforeAll
    static void startBroker() {
        kafka = EmbeddedKafkaBroker.builder().dataDir(dir.resolve("kafka"))
                .saslPlain(Map.of(APP_USER, APP_PASSWORD, CLIENT_USER, CLIENT_PASSWORD)).start();
    }

    @AfterAll
    static void stopBroker() {
        if (kafka != null) {
            kafka.close();
        }
    }

    @Test
    void detectsThroughASaslListenerWithClientPropertiesFromTheEnvironment() throws Exception {
        var env = env(APP_USER, APP_PASSWORD);
        env.put("BREACHWATCH_APPLICATION_ID", "breachwatch-sasl-it");
        env.put("BREACHWATCH_STREAMS_STATE_DIR", dir.resolve("state").toString());
        env.put("BREACHWATCH_HTTP_PORT", "0");
        env.put("BREACHWATCH_TOPICS_PARTITIONS", "1");
        var config = AppConfig.load(null, env);
        assertThat(config.kafkaProperties()).containsEntry("security.protocol", "SASL_PLAINTEXT")
                .containsEntry("sasl.mechanism", "PLAIN");

        try (var checks = new StartupChecks(config)) { // as run does
            checks.checkCluster();
            checks.ensureTopics(StartupChecks.requiredTopics(config), true);
        }
        var registry = new InMemorySchemaRegistry();
        try (var service = new Service(config, registry)) {
            service.start();
            assertThat(service.awaitRunning(TIMEOUT)).as("RUNNING over SASL").isTrue();

            var start = Instant.now().truncatedTo(ChronoUnit.SECONDS).minus(Duration.ofMinutes(3));
            var events = List.of(export("ev-sasl-1", start, 6_000), export("ev-sasl-2", start.plusSeconds(30), 6_000));
            try (var producer = producer(registry)) {
                for (var event : events) {
                    producer.send(new ProducerRecord<>(config.topology().inputTopic(), null, event.getTimestamp().toEpochMilli(),
                            "acme/u-sasl", event)).get();
                }
            }
            var incidents = new ArrayList<Incident>();
            try (var consumer = consumer(registry)) {
                consumer.subscribe(Set.of(config.topology().incidentsTopic()));
                await().atMost(TIMEOUT).until(() -> {
                    consumer.poll(Duration.ofMillis(200)).forEach(r -> incidents.add(r.value()));
                    return incidents.stream().anyMatch(i -> i.getRuleId().equals("bulk-export"));
                });
            }
            System.err.printf("sasl: %d events in, %d incident(s) out over SASL_PLAINTEXT/PLAIN%n", events.size(), incidents.size());
            assertThat(incidents).anySatisfy(i -> {
                assertThat(i.getRuleId()).isEqualTo("bulk-export");
                assertThat(i.getRecordCount()).isEqualTo(12_000);
            });
        }
    }

    @Test
    void wrongCredentialsStopRunWithinSecondsWithOneClearLine() {
        var out = new StringWriter();
        var err = new StringWriter();
        var env = env(APP_USER, "not-the-password");
        env.put("BREACHWATCH_STARTUP_TIMEOUT", "60s"); // must fail on the rejection, not by waiting this out

        var started = System.nanoTime();
        var code = Main.execute(new String[]{"run"}, env, new PrintWriter(out, true), new PrintWriter(err, true));
        var took = Duration.ofNanos(System.nanoTime() - started);

        System.err.printf("sasl: wrong credentials -> exit %d after %d ms: %s", code, took.toMillis(), err);
        assertThat(code).isEqualTo(Main.EXIT_FAILURE);
        assertThat(took).isLessThan(Duration.ofSeconds(15));
        assertThat(err.toString().trim()).hasLineCount(1)
                .startsWith("breachwatch: cannot start: Kafka rejected the credentials for " + kafka.bootstrapServers() + " (PLAIN via SASL_PLAINTEXT): ")
                .contains("SaslAuthenticationException")
                .doesNotContain("not-the-password");
    }

    /** The Kafka client security settings as environment variables, the way a deployment sets them. */
    private static Map<String, String> env(String user, String password) {
        var env = new HashMap<String, String>();
        env.put("KAFKA_BOOTSTRAP_SERVERS", kafka.bootstrapServers());
        EmbeddedKafkaBroker.clientProperties(user, password).forEach((key, value) ->
                env.put("KAFKA_" + key.toUpperCase(Locale.ROOT).replace('.', '_'), value));
        return env;
    }

    private static AccessEvent export(String id, Instant at, long records) {
        return AccessEvent.newBuilder()
                .setEventId(id).setTimestamp(at).setTenantId("acme").setUserId("u-sasl").setUserRole("sales")
                .setAction(Action.EXPORT).setOutcome(Outcome.SUCCESS).setObjectType("Report")
                .setRecordCount(records).setFields(List.of("name", "mobile")).setDestination("download")
                .build();
    }

    private static KafkaProducer<String, AccessEvent> producer(InMemorySchemaRegistry registry) {
        var props = new HashMap<String, Object>(EmbeddedKafkaBroker.clientProperties(CLIENT_USER, CLIENT_PASSWORD));
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
        return new KafkaProducer<>(props, new StringSerializer(),
                AvroSerde.<AccessEvent>forValues(registry, AccessEvent.getClassSchema()).serializer());
    }

    private static KafkaConsumer<String, Incident> consumer(InMemorySchemaRegistry registry) {
        var props = new HashMap<String, Object>(EmbeddedKafkaBroker.clientProperties(CLIENT_USER, CLIENT_PASSWORD));
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
        props.put(ConsumerConfig.GROUP_ID_CONFIG, "sasl-it-incidents");
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        return new KafkaConsumer<>(props, new StringDeserializer(),
                AvroSerde.<Incident>forValues(registry, Incident.getClassSchema()).deserializer());
    }
}
