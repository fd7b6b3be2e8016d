package io.breachwatch.it;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.breachwatch.config.AppConfig;
import io.breachwatch.config.Settings;
import io.breachwatch.embedded.AvroClients;
import io.breachwatch.embedded.EmbeddedKafkaBroker;
import io.breachwatch.runtime.StartupChecks;
import io.breachwatch.schema.AccessEvent;
import io.breachwatch.schema.Incident;
import io.breachwatch.serde.HttpSchemaRegistryClient;
import io.breachwatch.serde.JsonEvents;
import io.breachwatch.serde.LocalRegistryServer;
import io.breachwatch.sim.ScenarioKind;
import io.breachwatch.sim.SimConfig;
import io.breachwatch.sim.Simulator;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.TestWatcher;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ExecutionException;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * What the fault tests share, as a JUnit extension (one per test): a real broker on a data directory it can be
 * restarted on, a schema registry over HTTP that every JVM shares (the app runs in child JVMs, see {@link AppProcess}),
 * the topics as {@code run} creates them, the reference incidents of a fault-free run, and a read_committed
 * consumer that records every incident revision and dead letter the app commits.
 *
 * <p>After each test every child JVM is killed and the broker stopped; when a test fails, the tail of each child's
 * log (under {@code target/fault-its/}) is printed.
 *
 * <p><b>Reference.</b> The fault-free run is {@code breachwatch replay} (the same topology offline, one task, events
 * in the order given) over the same events and detector settings, rather than a second live run: it gives the same
 * incident ids as a live run whenever the live run sees each entity's events in order and none beyond grace (ids
 * are derived from rule, entity and the window where the case started), it is deterministic (a live run with several
 * partitions is not, see {@link InstanceFailoverIT}), and it takes seconds.
 *
 * <p><b>What is compared.</b> The set of incident ids, and per id the final state of the case: event_count,
 * record_count and severity of its highest revision. Revision numbers and detected_at are not compared: a revision
 * is emitted on material growth or at stream-time punctuation, so how many revisions a case gets depends on where
 * commits and punctuations fall, and detected_at is stream time at emission. The final counts do not: every event
 * of the case is in it once, whatever the revisions in between.
 */
final class FaultStack implements BeforeEachCallback, AfterEachCallback, TestWatcher {
    static final String INPUT = "crm.access-events";
    static final String INCIDENTS = "crm.incidents";
    static final String DLQ = "crm.access-events.dlq";
    static final Path LOGS = Path.of("target", "fault-its");
    /**
     * An instance killed without leaving its group holds its partitions until its session times out (Kafka's default
     * 45 s): a restarted or surviving instance gets them only then. The tests shorten it to 10 s to stay quick.
     */
    static final Map<String, String> SHORT_SESSION = Map.of("kafka.session.timeout.ms", "10000");

    /** The final state of one case, as compared with the reference. */
    record Outcome(long eventCount, long recordCount, String severity) {
    }

    private final String name;
    private final int partitions;
    private final Map<String, String> detectorSettings;
    private final List<AppProcess> processes = new ArrayList<>();
    private final ObjectMapper json = new ObjectMapper();
    private Path dir;
    EmbeddedKafkaBroker broker;
    private LocalRegistryServer registryServer;
    private HttpSchemaRegistryClient registry;
    private KafkaConsumer<String, Incident> incidentConsumer;
    private KafkaConsumer<byte[], byte[]> dlqConsumer;
    /** Every incident revision committed, in the order read. */
    final List<Incident> received = new ArrayList<>();
    private long deadLetters;

    /** {@code detectorSettings}: Breachwatch keys for the detectors, used by the live run and the reference alike. */
    FaultStack(String name, int partitions, Map<String, String> detectorSettings) {
        this.name = name;
        this.partitions = partitions;
        var settings = new HashMap<>(detectorSettings);
        // the last small change of an incident is emitted on a wall-clock flush once the input ends: within a minute
        settings.putIfAbsent("incident.update-interval", "1m");
        this.detectorSettings = Map.copyOf(settings);
    }

    @Override
    public void beforeEach(ExtensionContext context) throws IOException {
        dir = Files.createTempDirectory("breachwatch-" + name + "-");
        Files.createDirectories(LOGS);
        broker = EmbeddedKafkaBroker.builder().dataDir(dir.resolve("broker")).start();
        registryServer = LocalRegistryServer.http("");
        registry = new HttpSchemaRegistryClient(registryServer.url());
        var appConfig = AppConfig.from(Settings.of(runSettings("fault-topics", "unused", Map.of())));
        try (var checks = new StartupChecks(appConfig)) {
            checks.ensureTopics(StartupChecks.requiredTopics(appConfig), true);
        }
        incidentConsumer = AvroClients.incidentConsumer(broker.bootstrapServers(), registry, name + "-incidents");
        incidentConsumer.subscribe(List.of(INCIDENTS));
        dlqConsumer = new KafkaConsumer<>(Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers(),
                ConsumerConfig.GROUP_ID_CONFIG, name + "-dlq", ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed"), new ByteArrayDeserializer(), new ByteArrayDeserializer());
        dlqConsumer.subscribe(List.of(DLQ));
    }

    @Override
    public void afterEach(ExtensionContext context) {
        processes.forEach(AppProcess::close);
        for (AutoCloseable c : new AutoCloseable[]{incidentConsumer, dlqConsumer, registry, registryServer, broker}) {
            try {
                if (c != null) {
                    c.close();
                }
            } catch (Exception e) {
                System.err.println("closing " + c + ": " + e);
            }
        }
        EmbeddedKafkaBroker.deleteRecursively(dir);
    }

    @Override
    public void testFailed(ExtensionContext context, Throwable cause) {
        processes.forEach(p -> System.err.println(p.tail(80)));
    }

    /**
     * One simulated day of 10 accounts in 2 tenants ending now, a scenario of {@code kinds} in turn every hour: about
     * 5,000 events, most of them the scenarios'; timestamps of the last 24 h, so no broker or changelog expires them.
     */
    static List<AccessEvent> recentDay(long seed, Set<ScenarioKind> kinds) {
        var start = Instant.now().truncatedTo(ChronoUnit.MINUTES).minus(Duration.ofDays(1));
        var config = SimConfig.of(seed, 10, 2, 1).withStart(start).withScenarios(kinds)
                .withScenarioEvery(Duration.ofMinutes(30), Duration.ofHours(1));
        return new Simulator(config).stream().toList();
    }

    /** The keys of a {@code run} of this stack: broker, registry, one application id and state directory. */
    private Map<String, String> runSettings(String applicationId, String instance, Map<String, String> extra) {
        var settings = new LinkedHashMap<>(detectorSettings);
        settings.put(AppConfig.BOOTSTRAP_SERVERS.key(), broker.bootstrapServers());
        settings.put("registry.url", registryServer.url());
        settings.put(AppConfig.APPLICATION_ID.key(), applicationId);
        settings.put(AppConfig.STATE_DIR.key(), dir.resolve("state-" + instance).toString());
        settings.put(AppConfig.TOPICS_PARTITIONS.key(), Integer.toString(partitions));
        settings.put("http.port", "0");
        settings.putAll(extra);
        return settings;
    }

    /**
     * Starts {@code breachwatch run --config FILE} in a child JVM. {@code instance} names its state directory: the
     * same instance name restarts on the same local state. Returns once it printed its HTTP URL (Kafka Streams started).
     */
    AppProcess startApp(String applicationId, String instance, Map<String, String> extra) throws IOException {
        var config = writeProperties("run-" + instance + ".properties", runSettings(applicationId, instance, extra));
        var process = AppProcess.start(instance, LOGS.resolve(name + "-" + instance + "-" + processes.size() + ".log"),
                "run", "--config", config.toString());
        processes.add(process);
        process.awaitHttpUrl(Duration.ofSeconds(60));
        return process;
    }

    /** The final outcome per incident id of {@code breachwatch replay} over {@code events} with the same detector settings. */
    Map<String, Outcome> reference(List<AccessEvent> events) throws IOException, InterruptedException {
        var input = dir.resolve("events.jsonl");
        var output = dir.resolve("reference.jsonl");
        Files.write(input, events.stream().map(JsonEvents::toJson).toList(), StandardCharsets.UTF_8);
        var config = writeProperties("replay.properties", detectorSettings);
        var log = LOGS.resolve(name + "-replay.log");
        var exit = AppProcess.run("replay", log, Duration.ofMinutes(2), "replay", "--input", input.toString(),
                "--output", output.toString(), "--config", config.toString());
        assertThat(exit).as("replay exit code; see %s", log).isZero();
        Files.copy(output, LOGS.resolve(name + "-reference.jsonl"), StandardCopyOption.REPLACE_EXISTING);
        Files.copy(input, LOGS.resolve(name + "-events.jsonl"), StandardCopyOption.REPLACE_EXISTING);
        var outcomes = new TreeMap<String, Outcome>();
        for (var line : Files.readAllLines(output, StandardCharsets.UTF_8)) {
            var incident = json.readTree(line);
            outcomes.put(incident.path("incident_id").asText(), new Outcome(incident.path("event_count").asLong(),
                    incident.path("record_count").asLong(), incident.path("severity").asText()));
        }
        return outcomes;
    }

    private Path writeProperties(String file, Map<String, String> settings) throws IOException {
        var path = dir.resolve(file);
        Files.write(path, settings.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue().replace("\\", "\\\\")).toList(),
                StandardCharsets.UTF_8);
        return path;
    }

    /** Produces the events (keyed tenant/user, event time as record time) and waits until the broker has them. */
    void produce(List<AccessEvent> events) {
        try (var producer = AvroClients.eventProducer(broker.bootstrapServers(), registry)) {
            events.forEach(e -> producer.send(AvroClients.record(INPUT, e)));
            producer.flush();
        }
    }

    /** Input records the application has committed: under exactly-once, processed with their output committed. */
    long committed(String applicationId) {
        try (var admin = broker.admin()) {
            return admin.listConsumerGroupOffsets(applicationId).partitionsToOffsetAndMetadata().get().entrySet().stream()
                    .filter(e -> e.getKey().topic().equals(INPUT))
                    .map(Map.Entry::getValue).mapToLong(OffsetAndMetadata::offset).sum();
        } catch (ExecutionException e) {
            throw new IllegalStateException("cannot read the committed offsets of " + applicationId, e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /**
     * Input partitions per live member of the application's consumer group (one member per stream thread; a killed
     * instance stays a member until its session times out).
     */
    List<Integer> inputPartitionsPerMember(String applicationId) {
        try (var admin = broker.admin()) {
            var group = admin.describeConsumerGroups(List.of(applicationId)).all().get().get(applicationId);
            return group.members().stream().map(m -> (int) m.assignment().topicPartitions().stream()
                    .filter(tp -> tp.topic().equals(INPUT)).count()).sorted().toList();
        } catch (ExecutionException e) {
            throw new IllegalStateException("cannot describe the group " + applicationId, e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Reads what the app committed since the last call into {@link #received} and the dead-letter count. */
    void poll() {
        incidentConsumer.poll(Duration.ofMillis(200)).forEach(r -> received.add(r.value()));
        deadLetters += dlqConsumer.poll(Duration.ofMillis(50)).count();
    }

    /** The final outcome per incident id as read so far (highest revision of each id). */
    Map<String, Outcome> finals() {
        var latest = new HashMap<String, Incident>();
        received.forEach(i -> latest.merge(i.getIncidentId(), i, (a, b) -> b.getRevision() >= a.getRevision() ? b : a));
        var outcomes = new TreeMap<String, Outcome>();
        latest.forEach((id, i) -> outcomes.put(id, new Outcome(i.getEventCount(), i.getRecordCount(), i.getSeverity().name())));
        return outcomes;
    }

    /** Revisions read more than once: the same incident_id with the same revision (so also revision 1 twice). */
    List<String> duplicates() {
        return received.stream().collect(Collectors.groupingBy(i -> i.getIncidentId() + " revision " + i.getRevision(), TreeMap::new, Collectors.counting()))
                .entrySet().stream().filter(e -> e.getValue() > 1).map(e -> e.getKey() + " x" + e.getValue()).toList();
    }

    /**
     * Waits until the app committed every input record and the incidents read match {@code reference}, then reads
     * once more (a duplicate written late would show), prints the counts and asserts: no incident lost, none extra,
     * the same final outcome per id, no revision twice, no dead letter.
     */
    void assertSameIncidentsAs(Map<String, Outcome> reference, String applicationId, int eventsIn, String fault, Duration timeout) {
        assertThat(reference).as("the reference run found incidents").isNotEmpty();
        long t0 = System.nanoTime();
        try {
            await(fault + ": every input record committed and the incidents of the fault-free run")
                    .atMost(timeout).pollInterval(Duration.ofMillis(500))
                    .untilAsserted(() -> {
                        poll();
                        assertThat(committed(applicationId)).as("input records committed").isEqualTo(eventsIn);
                        assertThat(finals()).as("final outcome per incident id").isEqualTo(reference);
                    });
        } finally {
            poll();
            poll();
            var finals = finals();
            var lost = new TreeSet<>(reference.keySet());
            lost.removeAll(finals.keySet());
            var extra = new TreeSet<>(finals.keySet());
            extra.removeAll(reference.keySet());
            var differing = reference.keySet().stream().filter(finals::containsKey)
                    .filter(id -> !reference.get(id).equals(finals.get(id))).toList();
            System.err.printf("%s: %d events in, %d incidents (fault-free reference %d), %d revisions read, %d DLQ records, "
                            + "%d duplicates, %d lost, %d extra, %d with another final outcome; converged after %.1f s%n",
                    fault, eventsIn, finals.size(), reference.size(), received.size(), deadLetters, duplicates().size(),
                    lost.size(), extra.size(), differing.size(), (System.nanoTime() - t0) / 1e9);
            differing.forEach(id -> {
                System.err.printf("%s: %s, reference %s; revisions read:%n", fault, id, reference.get(id));
                received.stream().filter(i -> i.getIncidentId().equals(id)).forEach(i -> System.err.printf(
                        "  revision %d %s: %d events, %d records, peak window from %s, activity %s .. %s, detected %s%n",
                        i.getRevision(), i.getStatus(), i.getEventCount(), i.getRecordCount(), i.getWindowStart(),
                        i.getFirstSeen(), i.getLastSeen(), i.getDetectedAt()));
            });
            System.err.printf("%s: incidents by rule %s%n", fault, finals.keySet().stream()
                    .collect(Collectors.groupingBy(id -> id.substring(0, id.lastIndexOf('-')), TreeMap::new, Collectors.counting())));
        }
        assertThat(duplicates()).as("incident revisions committed twice").isEmpty();
        assertThat(deadLetters).as("dead letters (all input is valid)").isZero();
    }
}
