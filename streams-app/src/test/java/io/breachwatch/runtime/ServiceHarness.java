package io.breachwatch.runtime;

import io.breachwatch.config.AppConfig;
import io.breachwatch.config.Settings;
import io.breachwatch.embedded.EmbeddedKafkaBroker;
import io.breachwatch.schema.Action;
import io.breachwatch.schema.AccessEvent;
import io.breachwatch.schema.Outcome;
import io.breachwatch.serde.AvroSerializer;
import io.breachwatch.serde.InMemorySchemaRegistry;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A real broker, the topics {@code run} creates, and a {@link Service} built (not started) on them with an HTTP
 * API on a free port; produces Avro access events through the same in-memory registry the service reads with.
 */
final class ServiceHarness implements AutoCloseable {
    static final String TENANT = "acme";

    final EmbeddedKafkaBroker kafka;
    final InMemorySchemaRegistry registry = new InMemorySchemaRegistry();
    final AppConfig config;
    final Service service;
    private final KafkaProducer<String, byte[]> producer;
    private final AvroSerializer<AccessEvent> serializer = new AvroSerializer<>(registry, AccessEvent.getClassSchema(), false);
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final AtomicLong sequence = new AtomicLong();

    private ServiceHarness(Path dir, Map<String, String> settings) {
        kafka = EmbeddedKafkaBroker.builder().dataDir(dir.resolve("kafka")).start();
        try {
            var all = new HashMap<String, String>(Map.of(
                    "kafka.bootstrap.servers", kafka.bootstrapServers(),
                    "application.id", "breachwatch-it",
                    "http.port", "0",
                    "streams.state-dir", dir.resolve("state").toString(),
                    "topics.partitions", "1"));
            all.putAll(settings);
            config = AppConfig.from(Settings.of(all));
            try (var checks = new StartupChecks(config)) {
                checks.checkCluster();
                checks.ensureTopics(StartupChecks.requiredTopics(config), true);
            }
            service = new Service(config, registry);
            producer = new KafkaProducer<>(producerProps(), new StringSerializer(), new ByteArraySerializer());
        } catch (RuntimeException e) {
            kafka.close();
            throw e;
        }
    }

    /** {@code settings}: configuration keys over the harness's (broker, free HTTP port, one partition). */
    static ServiceHarness create(Path dir, Map<String, String> settings) {
        return new ServiceHarness(dir, settings);
    }

    private Properties producerProps() {
        var props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
        props.put(ProducerConfig.LINGER_MS_CONFIG, "0");
        return props;
    }

    /** Sends the events in order, keyed tenant/user, and waits until the broker has them. */
    void send(List<AccessEvent> events) {
        for (var event : events) {
            sendRaw(event.getTenantId() + "/" + event.getUserId(), serializer.serialize(config.topology().inputTopic(), event));
        }
        producer.flush();
    }

    void sendRaw(String key, byte[] value) {
        producer.send(new ProducerRecord<>(config.topology().inputTopic(), key, value));
    }

    void flush() {
        producer.flush();
    }

    /** A successful VIEW by {@code user} at {@code time}, with every personal field set; adjust with the setters. */
    AccessEvent.Builder event(String user, Instant time) {
        return AccessEvent.newBuilder()
                .setEventId("ev-it-" + sequence.incrementAndGet())
                .setTimestamp(time)
                .setTenantId(TENANT)
                .setUserId(user)
                .setUserRole("sales")
                .setSessionId("sess-" + user)
                .setSourceIp("198.51.100.23")
                .setCountry("CN")
                .setUserAgent("Mozilla/5.0 (breachwatch-it)")
                .setAction(Action.VIEW)
                .setOutcome(Outcome.SUCCESS)
                .setObjectType("Contact")
                .setRecordCount(1)
                .setFields(List.of("name", "mobile"));
    }

    AccessEvent export(String user, Instant time, long records) {
        return event(user, time).setAction(Action.EXPORT).setRecordCount(records)
                .setDestination("email:exfil.example").setObjectType("Report").setRecordId("rep-" + user).build();
    }

    record Response(int status, String body) {
    }

    /** GET {@code path} of the service's HTTP API. */
    Response get(String path) {
        var request = HttpRequest.newBuilder(URI.create(service.httpUrl() + path)).timeout(Duration.ofSeconds(10)).GET().build();
        try {
            var response = http.send(request, HttpResponse.BodyHandlers.ofString());
            return new Response(response.statusCode(), response.body());
        } catch (IOException e) {
            throw new UncheckedIOException("GET " + path + " failed", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted during GET " + path, e);
        }
    }

    @Override
    public void close() {
        producer.close(Duration.ofSeconds(5));
        try {
            service.close();
        } finally {
            kafka.close();
        }
    }
}
