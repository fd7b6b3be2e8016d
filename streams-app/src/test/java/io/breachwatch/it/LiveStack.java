package io.breachwatch.it;

import io.breachwatch.config.Settings;
import io.breachwatch.embedded.EmbeddedKafkaBroker;
import io.breachwatch.embedded.LocalDetector;
import io.breachwatch.schema.AccessEvent;
import io.breachwatch.schema.Incident;
import io.breachwatch.serde.InMemorySchemaRegistry;
import io.breachwatch.sim.SimConfig;
import io.breachwatch.topology.TopologyConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;

/** Broker + registry + clients shared by the integration tests. */
final class LiveStack implements AutoCloseable {
    final EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.startOnFreePort();
    final InMemorySchemaRegistry registry = new InMemorySchemaRegistry();
    final TopologyConfig config = TopologyConfig.from(Settings.empty());
    final List<Incident> received = new ArrayList<>();
    private final KafkaConsumer<String, Incident> consumer;

    LiveStack() {
        LocalDetector.createTopics(broker, config);
        consumer = LocalDetector.incidentConsumer(broker.bootstrapServers(), registry, "it-incidents");
        consumer.subscribe(List.of(config.incidentsTopic()));
    }

    /** Two recent days (the broker sees ordinary timestamps), 150 accounts in 2 tenants, one scenario of each kind per tenant. */
    static SimConfig twoRecentDays(long seed) {
        var start = Instant.now().minus(Duration.ofDays(3)).truncatedTo(ChronoUnit.DAYS);
        return SimConfig.of(seed, 150, 2, 2).withStart(start);
    }

    void produce(List<AccessEvent> events) {
        try (var producer = LocalDetector.eventProducer(broker.bootstrapServers(), registry)) {
            events.forEach(e -> producer.send(LocalDetector.record(config.inputTopic(), e)));
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
