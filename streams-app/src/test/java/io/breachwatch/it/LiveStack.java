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
import java.time.DayOfWeek;
import java.time.LocalDate;
import java.time.temporal.TemporalAdjusters;
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
        // One partition: two days of traffic are produced at once, and with several input partitions the stream
        // thread's tasks advance unevenly, so the events that move to another task see events hours out of order
        // and drop some beyond grace (counted in breachwatch_events_late_total): detection would depend on scheduling.
        this(1, Map.of());
    }

    /** {@code partitions} for every topic, and {@code settings} over the defaults. */
    LiveStack(int partitions, Map<String, String> settings) {
        // export-baseline needs a learning day and a week of history, more than these two days: its benign silence is checked on
        // the simulated week in GenerateReplayTest.
        var all = new java.util.HashMap<String, String>(Map.of(AppConfig.BOOTSTRAP_SERVERS.key(), broker.bootstrapServers(),
                AppConfig.TOPICS_PARTITIONS.key(), Integer.toString(partitions), HttpConfig.PORT.key(), "0",
                "detect.export-baseline.enabled", "false"));
        all.putAll(settings);
        this.settings = Settings.of(all);
        var appConfig = AppConfig.from(this.settings);
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

    /**
     * Monday and Tuesday of a recent week (3 to 9 days back), 150 accounts in 2 tenants: one scenario of each kind per
     * tenant. Working days, whatever today is: a start on a weekend schedules fewer scenarios.
     */
    static SimConfig twoRecentDays(long seed) {
        var monday = LocalDate.now(SimConfig.ZONE).minusDays(3).with(TemporalAdjusters.previousOrSame(DayOfWeek.MONDAY));
        return SimConfig.of(seed, 150, 2, 2).withStart(monday.atStartOfDay(SimConfig.ZONE).toInstant());
    }

    void produce(List<AccessEvent> events) {
        produce(events, AvroClients::key);
    }

    /** The events keyed by {@code key} (the contract accepts any key), Kafka's default partitioner. */
    void produce(List<AccessEvent> events, java.util.function.Function<AccessEvent, String> key) {
        try (var producer = AvroClients.eventProducer(broker.bootstrapServers(), registry)) {
            events.forEach(e -> producer.send(AvroClients.record(config.inputTopic(), key.apply(e), e)));
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
