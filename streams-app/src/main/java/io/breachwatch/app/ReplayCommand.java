package io.breachwatch.app;

import io.breachwatch.config.ConfigException;
import io.breachwatch.config.Settings;
import io.breachwatch.embedded.EmbeddedKafkaBroker;
import io.breachwatch.schema.Incident;
import io.breachwatch.serde.AvroSerde;
import io.breachwatch.serde.InMemorySchemaRegistry;
import io.breachwatch.serde.JsonEvents;
import io.breachwatch.topology.BreachwatchTopology;
import io.breachwatch.topology.DeadLetterReason;
import io.breachwatch.topology.EventValidator;
import io.breachwatch.topology.TopologyConfig;
import io.breachwatch.topology.ValidationConfig;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.PrintStream;
import java.io.Writer;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.Callable;

/**
 * {@code replay}: runs the detector topology offline (TopologyTestDriver, in-memory schema registry) over JSON
 * lines in the order given, every event parsed on a read-ahead thread ({@link ReplayInput}) and handed to the
 * topology's decode step as it is ({@link HandedOverEvents}: validation and everything after it as live, only the
 * Avro decoding skipped), piped with its own timestamp. One task sees every record, so the topology is built
 * without its entity repartitions ({@link BreachwatchTopology#buildSingleTask}): same rules, same incidents.
 * Writes the final revision of each incident (at the end of the input the driver's wall clock moves on by
 * {@code incident.update-interval}, so pending small changes are emitted as live processing emits them when the
 * traffic pauses); a bad line is reported and skipped, never fatal.
 */
@Command(name = "replay", mixinStandardHelpOptions = true,
        description = "Run the detectors offline over JSON-lines events and write the incidents (final revision each) as JSON lines.")
public final class ReplayCommand implements Callable<Integer> {
    private static final int DRAIN_EVERY = 5_000;
    private static final int REASONS_SHOWN = 20;

    @Spec
    CommandSpec spec;

    @Option(names = "--input", required = true, description = "Events, one JSON object per line; '-' for stdin")
    String input;

    @Option(names = "--output", defaultValue = "-", description = "Incidents, one JSON object per line; '-' for stdout (default ${DEFAULT-VALUE})")
    String output;

    @Option(names = "--config", description = "Properties file with detector settings (environment variables override it)")
    Path config;

    /**
     * What a replay found; also what tests check.
     *
     * @param seconds    wall-clock time from the first line read to the last incident written
     * @param cpuSeconds CPU time of the whole process over the same span (every thread: reader, topology, collector), or
     *                   a negative value when the JVM cannot tell
     */
    public record Summary(long eventsRead, long linesRejected, List<String> rejections, List<Incident> incidents, double seconds,
                          double cpuSeconds) {
        public double eventsPerSecond() {
            return seconds > 0 ? eventsRead / seconds : 0;
        }
    }

    @Override
    public Integer call() throws IOException, InterruptedException {
        TopologyConfig topologyConfig;
        try {
            var settings = Settings.load(config, System.getenv(), TopologyConfig.fields());
            settings.validate(TopologyConfig.fields());
            settings = offlineDefaults(settings);
            topologyConfig = TopologyConfig.from(settings);
        } catch (ConfigException e) {
            throw new ParameterException(spec.commandLine(), "replay: " + e.getMessage());
        }
        Summary summary;
        try {
            summary = replay(topologyConfig);
        } catch (IllegalStateException e) {
            throw new ParameterException(spec.commandLine(), "replay: " + e.getMessage());
        }
        try (Writer writer = TextFiles.writer(output)) {
            for (var incident : summary.incidents()) {
                writer.write(JsonEvents.toJson(incident));
                writer.write('\n');
            }
        }
        printSummary(summary, System.err);
        return 0;
    }

    Summary replay(TopologyConfig topologyConfig) throws IOException, InterruptedException {
        var registry = new InMemorySchemaRegistry();
        var handedOver = new HandedOverEvents();
        var topology = BreachwatchTopology.buildSingleTask(topologyConfig, registry, new SimpleMeterRegistry(), handedOver);
        if (!topology.describe().toString().contains(topologyConfig.inputTopic())) {
            throw new IllegalStateException("the detector topology does not read topic '" + topologyConfig.inputTopic() + "' (topics.input)");
        }
        var stateDir = Files.createTempDirectory("breachwatch-replay-");
        var incidentSerde = AvroSerde.<Incident>forValues(registry, Incident.getClassSchema());
        var latest = new HashMap<String, Incident>();
        var rejections = new Rejections();
        long piped = 0;
        long started = System.nanoTime();
        long cpuAtStart = processCpuNanos();
        long totalBytes = TextFiles.size(input);
        try (var batched = new BatchedTestDriver(topology, driverProperties(stateDir), topologyConfig.inputTopic());
             var lines = new ReplayInput(TextFiles.reader(input), new EventValidator(topologyConfig.validation()));
             var progress = new ProgressBar("replay")) {
            var driver = batched.driver();
            TestOutputTopic<String, Incident> incidents = driver.createOutputTopic(topologyConfig.incidentsTopic(),
                    new StringDeserializer(), incidentSerde.deserializer());
            var deadLetters = driver.createOutputTopic(topologyConfig.dlqTopic(), new ByteArrayDeserializer(), new ByteArrayDeserializer());
            var others = new HashMap<String, TestOutputTopic<byte[], byte[]>>();
            long sinceDrain = 0;
            for (var batch = lines.next(); !batch.isEmpty(); batch = lines.next()) {
                for (var line : batch) {
                    if (line.rejected()) {
                        rejections.add(line.number(), line.rejection());
                        continue;
                    }
                    batched.add(line.key().getBytes(StandardCharsets.UTF_8), handedOver.add(line.number(), line.event()),
                            line.event().getTimestamp().toEpochMilli());
                    piped++;
                }
                batched.processQueued();
                handedOver.checkDrained();
                refused(deadLetters, rejections);
                sinceDrain += batch.size();
                if (sinceDrain >= DRAIN_EVERY) {
                    sinceDrain = 0;
                    drain(incidents, latest);
                    discardOthers(driver, Set.of(topologyConfig.incidentsTopic(), topologyConfig.dlqTopic()), others);
                    var last = batch.get(batch.size() - 1);
                    progress.update(totalBytes > 0 ? (double) last.bytesSoFar() / totalBytes : 0, piped - rejections.refused());
                }
            }
            // the input ended: what live processing emits once the traffic pauses (the incident stage's wall-clock flush)
            driver.advanceWallClockTime(topologyConfig.incidents().updateInterval());
            drain(incidents, latest);
        } finally {
            EmbeddedKafkaBroker.deleteRecursively(stateDir);
        }
        var ordered = latest.values().stream()
                .sorted(Comparator.comparing(Incident::getFirstSeen).thenComparing(Incident::getIncidentId)).toList();
        long cpuAtEnd = processCpuNanos();
        return new Summary(piped - rejections.refused(), rejections.count(), rejections.shown(), ordered, (System.nanoTime() - started) / 1e9,
                cpuAtStart < 0 || cpuAtEnd < 0 ? -1 : (cpuAtEnd - cpuAtStart) / 1e9);
    }

    /** CPU time of this process so far in nanoseconds, or -1 when the JVM does not say. */
    private static long processCpuNanos() {
        return ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os ? os.getProcessCpuTime() : -1;
    }

    /**
     * Events the topology's validation refused (they went to the dead-letter topic): rejected lines like those that
     * are not JSON, each named by its line and the reason the record carries.
     */
    private static void refused(TestOutputTopic<byte[], byte[]> deadLetters, Rejections rejections) {
        while (!deadLetters.isEmpty()) {
            var record = deadLetters.readRecord();
            var message = record.headers().lastHeader(DeadLetterReason.MESSAGE_HEADER);
            var reason = record.headers().lastHeader(DeadLetterReason.HEADER);
            rejections.refuse(HandedOverEvents.lineOf(record.value()), EventValidator.Rejection.describe(
                    message == null ? null : new String(message.value(), StandardCharsets.UTF_8),
                    reason == null ? null : new String(reason.value(), StandardCharsets.UTF_8)));
        }
    }

    /** Rejected lines: how many, and the reasons of the first few by line number. */
    private static final class Rejections {
        private final TreeMap<Long, String> first = new TreeMap<>();
        private long count;
        private long refused;

        /** A line that never reached the topology. */
        void add(long line, String reason) {
            count++;
            first.put(line, "line " + line + ": " + reason);
            if (first.size() > REASONS_SHOWN) {
                first.pollLastEntry();
            }
        }

        /** A line whose event the topology refused. */
        void refuse(long line, String reason) {
            refused++;
            add(line, reason);
        }

        long count() {
            return count;
        }

        long refused() {
            return refused;
        }

        List<String> shown() {
            return List.copyOf(first.values());
        }
    }

    private static void drain(TestOutputTopic<String, Incident> incidents, Map<String, Incident> latest) {
        while (!incidents.isEmpty()) {
            var incident = incidents.readValue();
            if (incident != null) {
                latest.merge(incident.getIncidentId(), incident, (a, b) -> b.getRevision() >= a.getRevision() ? b : a);
            }
        }
    }

    /** The driver keeps every record written to any topic until it is read: read and drop all but {@code kept}. */
    private static void discardOthers(TopologyTestDriver driver, Set<String> kept, Map<String, TestOutputTopic<byte[], byte[]>> others) {
        for (var topic : driver.producedTopicNames()) {
            if (!kept.contains(topic)) {
                var output = others.computeIfAbsent(topic, t -> driver.createOutputTopic(t, new ByteArrayDeserializer(), new ByteArrayDeserializer()));
                while (!output.isEmpty()) {
                    output.readRecord();
                }
            }
        }
    }

    /**
     * Offline and short-lived: RocksDB's flush on every driver commit would dominate the run, and the driver keeps
     * every changelog record in memory; there is nothing to restore, so unless the user says otherwise, neither.
     * Nor time bounds relative to the wall clock.
     */
    private static Settings offlineDefaults(Settings settings) {
        var out = settings;
        if (!out.isSet(TopologyConfig.IN_MEMORY_STATE)) {
            out = out.with(TopologyConfig.IN_MEMORY_STATE.key(), "true");
        }
        if (!out.isSet(TopologyConfig.CHANGELOG)) {
            out = out.with(TopologyConfig.CHANGELOG.key(), "false");
        }
        // a file of past events is replayed now: bounds relative to today's wall clock would refuse it
        for (var bound : List.of(ValidationConfig.MAX_FUTURE, ValidationConfig.MAX_AGE)) {
            if (!out.isSet(bound)) {
                out = out.with(bound.key(), "0s");
            }
        }
        return out;
    }

    /** The test driver's properties for a replay whose state lives in {@code stateDir}. */
    static Properties driverProperties(Path stateDir) {
        var props = new Properties();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, "breachwatch-replay");
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "replay.invalid:9092");
        props.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
        props.putAll(BreachwatchTopology.streamsOverrides());
        return props;
    }

    static void printSummary(Summary summary, PrintStream out) {
        out.printf(Locale.ROOT, "replay summary%n");
        out.printf(Locale.ROOT, "  events read      %,12d%n", summary.eventsRead());
        out.printf(Locale.ROOT, "  lines rejected   %,12d%n", summary.linesRejected());
        summary.rejections().forEach(r -> out.printf(Locale.ROOT, "    %s%n", r));
        if (summary.linesRejected() > summary.rejections().size()) {
            out.printf(Locale.ROOT, "    ... and %,d more%n", summary.linesRejected() - summary.rejections().size());
        }
        out.printf(Locale.ROOT, "  incidents        %,12d%n", summary.incidents().size());
        var byRule = new TreeMap<String, Map<String, Long>>();
        for (var incident : summary.incidents()) {
            byRule.computeIfAbsent(incident.getRuleId(), r -> new TreeMap<>()).merge(incident.getSeverity().name(), 1L, Long::sum);
        }
        if (!byRule.isEmpty()) {
            out.printf(Locale.ROOT, "    %-24s %6s %6s %6s %8s %6s%n", "rule", "LOW", "MEDIUM", "HIGH", "CRITICAL", "total");
            byRule.forEach((rule, bySeverity) -> out.printf(Locale.ROOT, "    %-24s %6d %6d %6d %8d %6d%n", rule,
                    bySeverity.getOrDefault("LOW", 0L), bySeverity.getOrDefault("MEDIUM", 0L), bySeverity.getOrDefault("HIGH", 0L),
                    bySeverity.getOrDefault("CRITICAL", 0L), bySeverity.values().stream().mapToLong(Long::longValue).sum()));
        }
        out.printf(Locale.ROOT, "  elapsed          %12.1f s%n", summary.seconds());
        if (summary.cpuSeconds() >= 0) {
            out.printf(Locale.ROOT, "  cpu              %12.1f s (%.1f cores)%n", summary.cpuSeconds(),
                    summary.seconds() > 0 ? summary.cpuSeconds() / summary.seconds() : 0);
        }
        out.printf(Locale.ROOT, "  throughput       %,12.0f events/s%n", summary.eventsPerSecond());
    }
}
