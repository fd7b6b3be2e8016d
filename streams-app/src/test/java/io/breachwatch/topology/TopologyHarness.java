package io.breachwatch.topology;

import io.breachwatch.config.Settings;
import io.breachwatch.detect.EntityWindows;
import io.breachwatch.detect.WindowAggregate;
import io.breachwatch.schema.AccessEvent;
import io.micrometer.core.instrument.Counter;
import io.breachwatch.schema.Action;
import io.breachwatch.schema.BreachNotice;
import io.breachwatch.schema.Incident;
import io.breachwatch.schema.Outcome;
import io.breachwatch.serde.AvroDeserializer;
import io.breachwatch.serde.AvroSerializer;
import io.breachwatch.serde.InMemorySchemaRegistry;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.breachwatch.serde.SchemaRegistryClient;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.test.TestRecord;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The whole topology in a {@link TopologyTestDriver} with the real serdes over an in-memory registry, plus the
 * event builders every topology, detector and incident test uses. Close it (try-with-resources).
 */
public final class TopologyHarness implements AutoCloseable {
    /** A Monday, 10:00 UTC: aligned to every window size the tests use. */
    public static final Instant T0 = Instant.parse("2025-03-03T10:00:00Z");
    public static final String TENANT = "acme";
    private static final AtomicLong SEQUENCE = new AtomicLong();

    public final InMemorySchemaRegistry registry = new InMemorySchemaRegistry();
    public final SimpleMeterRegistry meters = new SimpleMeterRegistry();
    public final TopologyConfig config;
    public final TopologyTestDriver driver;
    private final Path stateDir;
    private final TestInputTopic<byte[], byte[]> input;
    private final TestOutputTopic<String, Incident> incidents;
    private final TestOutputTopic<byte[], byte[]> deadLetters;
    private final TestOutputTopic<String, BreachNotice> notices;
    private final AvroSerializer<AccessEvent> eventSerializer = new AvroSerializer<>(registry, AccessEvent.getClassSchema(), false);

    /** How a test builds the topology from its config. */
    private interface Build {
        Topology build(TopologyConfig config, SchemaRegistryClient registry, MeterRegistry meters);
    }

    private TopologyHarness(Map<String, String> settings, Build build) {
        var all = new java.util.HashMap<String, String>();
        // the driver's wall clock stays at T0 while tests run event time months ahead: no future bound unless asked
        all.put(ValidationConfig.MAX_FUTURE.key(), "0s");
        all.putAll(settings);
        config = TopologyConfig.from(Settings.of(all));
        try {
            var parent = Files.createDirectories(Path.of("target", "ttd-state"));
            stateDir = Files.createTempDirectory(parent, "breachwatch-ttd");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        var props = new Properties();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, "breachwatch-test");
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
        props.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
        props.putAll(BreachwatchTopology.streamsOverrides());
        driver = new TopologyTestDriver(build.build(config, registry, meters), props, T0);
        input = driver.createInputTopic(config.inputTopic(), new ByteArraySerializer(), new ByteArraySerializer());
        incidents = driver.createOutputTopic(config.incidentsTopic(), new StringDeserializer(),
                new AvroDeserializer<>(registry, Incident.getClassSchema()));
        deadLetters = driver.createOutputTopic(config.dlqTopic(), new ByteArrayDeserializer(), new ByteArrayDeserializer());
        notices = driver.createOutputTopic(config.notices().topic(), new StringDeserializer(),
                new AvroDeserializer<>(registry, BreachNotice.getClassSchema()));
    }

    /**
     * The topology with default settings overridden by {@code settings}, for an input of unknown partition count:
     * every event moves through its entity's repartition topic.
     */
    public static TopologyHarness start(Map<String, String> settings) {
        return new TopologyHarness(settings, BreachwatchTopology::build);
    }

    /**
     * As {@link #start(Map)}, for an input of one partition (the driver's): every event is already in its entity's
     * task and none moves.
     */
    public static TopologyHarness startInPlace(Map<String, String> settings) {
        return new TopologyHarness(settings, (config, registry, meters) -> BreachwatchTopology.build(config, registry, meters, 1));
    }

    /** As {@link #start(Map)}, the topology built for a single-task runner ({@link BreachwatchTopology#buildSingleTask}). */
    public static TopologyHarness startSingleTask(Map<String, String> settings) {
        return new TopologyHarness(settings, BreachwatchTopology::buildSingleTask);
    }

    public static TopologyHarness start() {
        return start(Map.of());
    }

    /** {@code settings} with every rule disabled except {@code ruleIds}, so a test sees only the rules it is about. */
    public static Map<String, String> only(Map<String, String> settings, String... ruleIds) {
        var out = new java.util.HashMap<String, String>();
        var kept = List.of(ruleIds);
        for (var field : TopologyConfig.fields()) {
            var key = field.key();
            if (key.startsWith("detect.") && key.endsWith(".enabled")
                    && !kept.contains(key.substring("detect.".length(), key.length() - ".enabled".length()))) {
                out.put(key, "false");
            }
        }
        out.putAll(settings);
        return Map.copyOf(out);
    }

    /** Pipes events in order, keyed tenant/user, record time = event time. */
    public TopologyHarness send(List<AccessEvent> events) {
        events.forEach(e -> input.pipeInput(key(e), encode(e), e.getTimestamp()));
        return this;
    }

    public TopologyHarness send(AccessEvent... events) {
        return send(Arrays.asList(events));
    }

    public TopologyHarness sendRaw(byte[] key, byte[] value) {
        input.pipeInput(key, value, T0);
        return this;
    }

    public byte[] encode(AccessEvent event) {
        return eventSerializer.serialize(config.inputTopic(), event);
    }

    private static byte[] key(AccessEvent e) {
        return (e.getTenantId() + "/" + e.getUserId()).getBytes(java.nio.charset.StandardCharsets.UTF_8);
    }

    /** Every incident record emitted so far (drains the topic). */
    public List<Incident> incidents() {
        return incidents.readValuesToList();
    }

    /** Every incident record (key and value) emitted so far (drains the topic). */
    public List<TestRecord<String, Incident>> incidentRecords() {
        return incidents.readRecordsToList();
    }

    /** Every breach-notice record (key incident_id) emitted so far (drains the topic). */
    public List<TestRecord<String, BreachNotice>> notices() {
        return notices.readRecordsToList();
    }

    public List<TestRecord<byte[], byte[]>> deadLetters() {
        return deadLetters.readRecordsToList();
    }

    public KeyValueStore<String, Incident> incidentStore() {
        return driver.getKeyValueStore(BreachwatchTopology.INCIDENT_STORE);
    }

    public KeyValueStore<String, Incident> caseStore() {
        return driver.getKeyValueStore(BreachwatchTopology.CASE_STORE);
    }

    /** The window of a windowed rule that starts at {@code start}, from the rule's window store; null when there is none. */
    public WindowAggregate window(String ruleId, String entity, Instant start) {
        var windows = windows(ruleId, entity);
        return windows == null ? null : windows.get(start.toEpochMilli());
    }

    /** An entity's windows of a windowed rule, decoded from the rule's window store; null when it has none. */
    public NavigableMap<Long, WindowAggregate> windows(String ruleId, String entity) {
        var stored = driver.<String, byte[]>getKeyValueStore(BreachwatchTopology.windowStore(ruleId)).get(entity);
        return stored == null ? null : EntityWindows.read(stored);
    }

    /** The sum of the counters matching the tags (e.g. every severity of a rule); 0 when none was incremented. */
    public double counter(String name, String... tags) {
        return meters.find(name).tags(tags).counters().stream().mapToDouble(Counter::count).sum();
    }

    @Override
    public void close() {
        try {
            driver.close();
        } finally {
            deleteQuietly(stateDir);
        }
    }

    private static void deleteQuietly(Path dir) {
        try (var paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException ignored) {
            // a temp dir left behind is harmless
        }
    }

    // ---- event builders ----

    public static Instant at(Duration offset) {
        return T0.plus(offset);
    }

    public static Instant minutes(double m) {
        return T0.plusMillis((long) (m * 60_000));
    }

    /** A successful VIEW by {@code user} of tenant acme at {@code ts}; adjust with the builder's setters. */
    public static AccessEvent.Builder event(String user, Instant ts) {
        return AccessEvent.newBuilder()
                .setEventId("ev-" + SEQUENCE.incrementAndGet())
                .setTimestamp(ts)
                .setTenantId(TENANT)
                .setUserId(user)
                .setUserRole("sales")
                .setSessionId("s-" + user)
                .setSourceIp("10.0.0.1")
                .setAction(Action.VIEW)
                .setOutcome(Outcome.SUCCESS)
                .setObjectType("Contact")
                .setRecordCount(1)
                .setFields(List.of("name", "mobile"));
    }

    public static AccessEvent export(String user, Instant ts, long records) {
        return event(user, ts).setAction(Action.EXPORT).setRecordCount(records).setDestination("download").build();
    }

    public static AccessEvent view(String user, String customer, Instant ts) {
        return event(user, ts).setCustomerId(customer).build();
    }

    public static AccessEvent denied(String user, Instant ts) {
        return event(user, ts).setOutcome(Outcome.DENIED).setRecordCount(0).build();
    }

    public static AccessEvent loginFailed(String user, String ip, Instant ts) {
        return event(user, ts).setAction(Action.LOGIN_FAILED).setOutcome(Outcome.FAILED).setSourceIp(ip)
                .setRecordCount(0).setFields(List.of()).setObjectType(null).build();
    }
}
