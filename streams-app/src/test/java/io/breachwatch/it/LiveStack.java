package io.breachwatch.it;

import io.breachwatch.config.AppConfig;
import io.breachwatch.config.Settings;
import io.breachwatch.embedded.AvroClients;
import io.breachwatch.embedded.EmbeddedKafkaBroker;
import io.breachwatch.http.HttpConfig;
import io.breachwatch.runtime.Service;
import io.breachwatch.runtime.StartupChecks;
import io.breachwatch.schema.AccessEvent;
import io.breachwatch.schema.Incident;
import io.breachwatch.serde.InMemorySchemaRegistry;
import io.breachwatch.sim.SimConfig;
import io.breachwatch.topology.TopologyConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Broker + registry + topics + clients shared by the integration tests; {@link #service} is the application. */
final class LiveStack implements AutoCloseable {
    final EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.startOnFreePort();
    final InMemorySchemaRegistry registry = new InMemorySchemaRegistry();
    final TopologyConfig config;
    final List<Incident> received = new ArrayList<>();
    private final Settings settings;
    private final KafkaConsumer<String, Incident> consumer;

    LiveStack() {
        settings = Settings.of(Map.of(AppConfig.BOOTSTRAP_SERVERS.key(), broker.bootstrapServers(),
                AppConfig.TOPICS_PARTITIONS.key(), "3", HttpConfig.PORT.key(), "0"));
        var appConfig = AppConfig.from(settings);
        config = appConfig.topology();
        try (var checks = new StartupChecks(appConfig)) {
            checks.ensureTopics(StartupChecks.requiredTopics(appConfig), true);
        }
        consumer = AvroClients.incidentConsumer(broker.bootstrapServers(), registry, "it-incidents");
        consumer.subscribe(List.of(config.incidentsTopic()));
    }

    /** The application as {@code run} wires it (not started), on this broker and registry, HTTP on a free port. */
    Service service(String applicationId, Path stateDir) {
        return new Service(AppConfig.from(settings.withAll(Map.of(AppConfig.APPLICATION_ID.key(), applicationId,
                AppConfig.STATE_DIR.key(), stateDir.toString()))), registry);
    }

    /** Two recent days (the broker sees ordinary timestamps), 150 accounts in 2 tenants, one scenario of each kind per tenant. */
    static SimConfig twoRecentDays(long seed) {
        var start = Instant.now().minus(Duration.ofDays(3)).truncatedTo(ChronoUnit.DAYS);
        return SimConfig.of(seed, 150, 2, 2).withStart(start);
    }

    void produce(List<AccessEvent> events) {
        try (var producer = AvroClients.eventProducer(broker.bootstrapServers(), registry)) {
            events.forEach(e -> producer.send(AvroClients.record(config.inputTopic(), e)));
            producer.flush();
        }
    }

    /** Polls committed incidents into {@link #received}; for Awaitility conditions. */
    List<Incident> poll() {
        consumer.poll(Duration.ofMillis(200)).forEach(r -> received.add(r.value()));
        return received;
    }

    @Override
    public void close() {
        consumer.close();
        broker.close();
    }
}
