package io.breachwatch.topology;

import io.breachwatch.detect.Finding;
import io.breachwatch.detect.Rule;
import io.breachwatch.detect.RuleContext;
import io.breachwatch.detect.UserActivityDetection;
import io.breachwatch.detect.WindowedDetection;
import io.breachwatch.incident.ExfiltrationChain;
import io.breachwatch.incident.IncidentStage;
import io.breachwatch.metrics.DetectorMetrics;
import io.breachwatch.notice.NoticeKind;
import io.breachwatch.notice.NoticeStage;
import io.breachwatch.ocsf.OcsfOutput;
import io.breachwatch.schema.AccessEvent;
import io.breachwatch.schema.BreachNotice;
import io.breachwatch.schema.Incident;
import io.breachwatch.serde.AvroDeserializer;
import io.breachwatch.serde.AvroSerde;
import io.breachwatch.serde.SchemaRegistryClient;
import io.micrometer.core.instrument.MeterRegistry;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.kstream.Branched;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.kstream.Repartitioned;
import org.apache.kafka.streams.kstream.Produced;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;

/**
 * The detection topology, a pure function of configuration:
 * <pre>
 * topics.input (bytes) -> decode + validate --bad--> topics.dlq (original key, bytes, dlq.* headers)
 *                                  | good, record time = event time, keyed by entity (user or IP); in its entity's task
 *                                  | already, or after a trip through events-by-&lt;entity&gt;-repartition ({@link EntityPartitioning})
 *                                  +-> every rule's part of the graph -> findings -> incident stage -> pseudonymize -> topics.incidents
 *                                                                                                             +-> notice stage -> topics.notices
 *                                                                                                             +-> (ocsf.enabled) OCSF JSON -> topics.ocsf
 * </pre>
 * dormant-account and session-hijack have one part together ({@link UserActivityDetection}).
 * Every processor, store and internal topic is named explicitly, and {@code build} enforces it
 * ({@value StreamsConfig#ENSURE_EXPLICIT_INTERNAL_RESOURCE_NAMING_CONFIG}): an unnamed resource fails the build.
 *
 * <p>Stores others may query (interactive queries):
 * <ul>
 *   <li>{@link #INCIDENT_STORE}: key-value, incident_id -> latest emitted {@link Incident}.</li>
 *   <li>{@link #CASE_STORE}: key-value, {@code rule|entity} -> that entity's latest incident for the rule
 *       (entity is {@code tenant/user} or, for credential-stuffing, {@code tenant/ip}).</li>
 *   <li>{@link #windowStore(String)}: key-value, entity -> its windows of a rule (window start -> {@code WindowAggregate})
 *       as bytes; {@code io.breachwatch.detect.EntityWindows#read} decodes them.</li>
 * </ul>
 */
public final class BreachwatchTopology {
    public static final String INCIDENT_STORE = IncidentStage.INCIDENT_STORE;
    public static final String CASE_STORE = IncidentStage.CASE_STORE;

    private BreachwatchTopology() {
    }

    /** The window store of a rule, e.g. {@code bulk-export-windows}. */
    public static String windowStore(String ruleId) {
        return WindowedDetection.windowStoreName(ruleId);
    }

    /**
     * Streams settings this topology relies on; every runner applies them (the service, replay, tests): changelog,
     * repartition topics and stores keep their names across versions (an unnamed one fails the build), and a
     * processing exception handler covers global stores too (the Kafka 5.0 default; unset, Kafka warns on stderr).
     * The same setting goes to the main consumer too: Kafka Streams' partition assignor builds a StreamsConfig of its
     * own from the consumer's configs, which would otherwise warn at every start that it is not set.
     *
     * <p>Task idling is off ({@code max.task.idle.ms=-1}; the service's {@code kafka.max.task.idle.ms} sets it back).
     * With it on, Kafka Streams 4.4 formats a log line with {@code String.format} for every empty input partition of a
     * task at every processing step, logged or not; a task here reads five partitions (the input, the two entity
     * topics and export-baseline's two peer topics), some of them empty at most steps: a tenth of the stream thread
     * in a throughput run, and 10-14 % more events/s without it (BENCHMARKS.md, 2026-12-04). Idling only waits for
     * records already on the broker but not yet fetched, to merge partitions in timestamp order: the topology has no
     * joins, and the rules' grace (minutes of event time) covers the milliseconds that order is off by without it;
     * anything later is counted as late. A test driver ({@code replay}) drains every record before the next one, so
     * it never has anything to wait for.
     */
    public static Map<String, String> streamsOverrides() { // strings: they go into java.util.Properties too
        return Map.of(StreamsConfig.ENSURE_EXPLICIT_INTERNAL_RESOURCE_NAMING_CONFIG, "true",
                StreamsConfig.PROCESSING_EXCEPTION_HANDLER_GLOBAL_ENABLED_CONFIG, "true",
                StreamsConfig.mainConsumerPrefix(StreamsConfig.PROCESSING_EXCEPTION_HANDLER_GLOBAL_ENABLED_CONFIG), "true",
                StreamsConfig.MAX_TASK_IDLE_MS_CONFIG, Long.toString(StreamsConfig.MAX_TASK_IDLE_MS_DISABLED));
    }

    /** The topology for an input topic whose partition count is not known: every event moves to its entity's task. */
    public static Topology build(TopologyConfig config, SchemaRegistryClient registry, MeterRegistry meters) {
        return build(config, registry, meters, 0);
    }

    /**
     * The topology for an input topic of {@code inputPartitions} partitions (0 when unknown): an event read from the
     * partition its entity maps to goes to the rules in the same task, the others through their entity's
     * repartition topic ({@link EntityPartitioning}).
     */
    public static Topology build(TopologyConfig config, SchemaRegistryClient registry, MeterRegistry meters, int inputPartitions) {
        return build(config, registry, meters, new EntityPartitioning(inputPartitions), avroEvents(registry));
    }

    /**
     * The same topology for a runner that processes every record in one task ({@code replay}): without repartitions,
     * which only move each event to the task that owns its entity (and export-baseline's peer updates to their
     * group's, {@link RuleContext#singleTask}), so every rule gets the event as it is decoded (each repartition topic
     * also cost the test driver a regex compilation per record). The rules, stores and outputs are the same; what
     * differs is when stream-time punctuations fall between the rules' work on one event, hence which revision an
     * incident's change is emitted in (and that revision's {@code detected_at}), not the incidents found nor their
     * final counts.
     */
    public static Topology buildSingleTask(TopologyConfig config, SchemaRegistryClient registry, MeterRegistry meters) {
        return buildSingleTask(config, registry, meters, avroEvents(registry));
    }

    /**
     * {@link #buildSingleTask(TopologyConfig, SchemaRegistryClient, MeterRegistry)} whose decode step reads the input's
     * values with {@code input} instead of the Avro deserializer: for a runner whose events are objects already
     * ({@code replay} parses JSON lines), so they are not encoded as Avro only to be decoded again. Validation and
     * everything after it are the same, except that the events of a {@link ValidatedEvents} are not validated again.
     */
    public static Topology buildSingleTask(TopologyConfig config, SchemaRegistryClient registry, MeterRegistry meters,
                                           Deserializer<AccessEvent> input) {
        return build(config, registry, meters, null, Objects.requireNonNull(input, "input"));
    }

    /** The input's values as the topic holds them: Avro in the Confluent wire format, schemas from {@code registry}. */
    private static Deserializer<AccessEvent> avroEvents(SchemaRegistryClient registry) {
        return new AvroDeserializer<>(registry, AccessEvent.getClassSchema());
    }

    /**
     * @param partitioning where entities live, null for a single task (no repartition at all)
     * @param input        the decode step's deserializer of input values
     */
    private static Topology build(TopologyConfig config, SchemaRegistryClient registry, MeterRegistry meters, EntityPartitioning partitioning,
                                  Deserializer<AccessEvent> input) {
        Objects.requireNonNull(config, "config");
        Objects.requireNonNull(registry, "registry");
        var metrics = new DetectorMetrics(meters, ruleIds(config), config.notices().enabled() ? NoticeKind.codes() : List.of());
        var builder = namingEnforced();
        var events = decode(builder, config, input, metrics);

        var eventSerde = AvroSerde.<AccessEvent>forValues(registry, AccessEvent.getClassSchema());
        var moves = partitioning == null ? null : new Moves(partitioning,
                new OriginalBytesSerde(new AvroDeserializer<>(registry, AccessEvent.getClassSchema())));
        var context = new RuleContext(builder, eventSerde, metrics, config.stores(), partitioning == null);
        var byEntity = new EnumMap<Rule.EntityKind, KStream<String, AccessEvent>>(Rule.EntityKind.class);
        KStream<String, Finding> findings = null;
        var sharing = config.rules().stream().filter(UserActivityDetection::shares).toList();
        for (var rule : config.rules()) {
            var shares = sharing.contains(rule);
            if (shares && rule != sharing.get(0)) {
                continue; // one processor for all of them, built at the first
            }
            var keyed = byEntity.computeIfAbsent(rule.entityKind(), kind -> keyedBy(kind, events, config.rules(), moves));
            var ruleFindings = shares ? UserActivityDetection.findings(keyed, sharing, context) : rule.findings(keyed, context);
            var name = shares ? UserActivityDetection.name() : rule.ruleId();
            findings = findings == null ? ruleFindings : findings.merge(ruleFindings, Named.as(name + "-merge-findings"));
        }
        if (findings != null) {
            var incidents = IncidentStage.incidents(builder, findings, config.incidents(), metrics, config.stores())
                    // identity unless pseudonymize.enabled; every output below sees the pseudonyms
                    .mapValues(config.incidents().pseudonymizer()::apply, Named.as("pseudonymize"));
            incidents.to(config.incidentsTopic(), Produced.with(Serdes.String(), AvroSerde.<Incident>forValues(registry, Incident.getClassSchema()))
                    .withName("incidents-sink"));
            if (config.notices().enabled()) { // from the incidents exactly as written: whatever holds for them holds for notices
                NoticeStage.notices(builder, incidents, config.notices(), config.incidents().retention(), metrics, config.stores())
                        .to(config.notices().topic(), Produced.with(Serdes.String(), AvroSerde.<BreachNotice>forValues(registry, BreachNotice.getClassSchema()))
                                .withName("notices-sink"));
            }
            OcsfOutput.to(incidents, config.ocsf());
        }
        return builder.build();
    }

    /** How events reach the task of their entity: where entities live, and the serde of the entity topics. */
    private record Moves(EntityPartitioning partitioning, OriginalBytesSerde serde) {
    }

    /**
     * The events keyed by one kind of entity, shared by every rule of that kind. Only events that some rule of the
     * kind counts go on. An event already in its entity's task goes straight on; the others move through one
     * repartition topic per entity kind (not per rule), which carries each event's original input bytes
     * ({@link OriginalBytesSerde}): nothing is re-encoded. Both paths meet in the same task, the one that reads the
     * input. With no {@code moves} (a single-task runner) the events are keyed and never leave the task.
     */
    private static KStream<String, AccessEvent> keyedBy(Rule.EntityKind kind, KStream<byte[], Decoded.Valid> events,
                                                        List<Rule> rules, Moves moves) {
        var ofKind = rules.stream().filter(r -> r.entityKind() == kind).toList();
        var name = "events-by-" + kind.name().toLowerCase(Locale.ROOT).replace('_', '-');
        if (moves == null) {
            return events.process(() -> new ByEntity<>(kind, ofKind, Decoded.Valid::event), Named.as(name + "-key"));
        }
        var placed = events.process(() -> new ByEntity<>(kind, ofKind, valid -> valid), Named.as(name + "-key"))
                .split(Named.as(name + "-"))
                .branch((entity, v) -> moves.partitioning().inPlace(entity, v), Branched.as("in-place"))
                .defaultBranch(Branched.as("moving"));
        var moved = placed.get(name + "-moving").repartition(Repartitioned.<String, Decoded.Valid>as(name)
                .withKeySerde(Serdes.String()).withValueSerde(moves.serde()).withStreamPartitioner(moves.partitioning()));
        return placed.get(name + "-in-place").merge(moved, Named.as(name + "-arrived"))
                .mapValues(Decoded.Valid::event, Named.as(name + "-events"));
    }

    /**
     * The events some rule of one entity kind counts, keyed by their entity, as {@code value} makes them: one node
     * where a filter, a key and a value mapping were three. Every node an event passes costs Kafka Streams a record,
     * a copy of its headers and a record context, for every event and entity kind.
     */
    private static final class ByEntity<V> implements Processor<byte[], Decoded.Valid, String, V> {
        private final Rule.EntityKind kind;
        private final List<Rule> rules;
        private final Function<Decoded.Valid, V> value;
        private ProcessorContext<String, V> context;

        ByEntity(Rule.EntityKind kind, List<Rule> rules, Function<Decoded.Valid, V> value) {
            this.kind = kind;
            this.rules = rules;
            this.value = value;
        }

        @Override
        public void init(ProcessorContext<String, V> context) {
            this.context = context;
        }

        @Override
        public void process(Record<byte[], Decoded.Valid> record) {
            var event = record.value().event();
            var entity = Rule.entity(kind, event);
            if (entity != null && countedByAny(rules, event)) {
                context.forward(new Record<>(entity, value.apply(record.value()), record.timestamp(), record.headers()));
            }
        }
    }

    /** A plain loop, not a stream: this runs for every event and entity kind. */
    private static boolean countedByAny(List<Rule> rules, AccessEvent event) {
        for (var rule : rules) {
            if (rule.counts(event)) {
                return true;
            }
        }
        return false;
    }

    /** Every rule that can emit incidents: the event rules and, when enabled, the exfiltration-chain correlation. */
    private static List<String> ruleIds(TopologyConfig config) {
        var ids = new ArrayList<String>();
        config.rules().forEach(rule -> ids.add(rule.ruleId()));
        if (config.incidents().chain().enabled()) {
            ids.add(ExfiltrationChain.RULE);
        }
        return ids;
    }

    /** Decodes the input; bad records go to the dead-letter topic, good ones come back. */
    private static KStream<byte[], Decoded.Valid> decode(StreamsBuilder builder, TopologyConfig config,
                                                       Deserializer<AccessEvent> deserializer, DetectorMetrics metrics) {
        var validator = deserializer instanceof ValidatedEvents ? null : new EventValidator(config.validation());
        var branches = builder.stream(config.inputTopic(), Consumed.with(Serdes.ByteArray(), Serdes.ByteArray()).withName("access-events-source"))
                .processValues(() -> new DecodeProcessor(deserializer, validator, metrics), Named.as("decode"))
                .split(Named.as("decoded-"))
                .branch((key, decoded) -> decoded instanceof Decoded.Rejected, Branched.<byte[], Decoded>withConsumer(rejected -> rejected
                        .mapValues(decoded -> ((Decoded.Rejected) decoded).raw(), Named.as("dead-letter-bytes"))
                        .to(config.dlqTopic(), Produced.with(Serdes.ByteArray(), Serdes.ByteArray()).withName("dead-letter-sink")), "rejected"))
                .defaultBranch(Branched.as("valid"));
        return branches.get("decoded-valid").process(ValidEvents::new, Named.as("valid-events"));
    }

    /**
     * The valid branch's records as what they are: the same record forwarded, only its type narrowed (a value
     * mapping would copy the record and its headers for every event).
     */
    private static final class ValidEvents implements Processor<byte[], Decoded, byte[], Decoded.Valid> {
        private ProcessorContext<byte[], Decoded.Valid> context;

        @Override
        public void init(ProcessorContext<byte[], Decoded.Valid> context) {
            this.context = context;
        }

        @Override
        @SuppressWarnings("unchecked") // the "valid" branch holds nothing but Decoded.Valid values
        public void process(Record<byte[], Decoded> record) {
            if (!(record.value() instanceof Decoded.Valid)) {
                throw new IllegalStateException("the valid branch got a " + record.value().getClass().getSimpleName());
            }
            context.forward((Record<byte[], Decoded.Valid>) (Record<?, ?>) record);
        }
    }

    /** A builder that refuses auto-generated names for stores and internal topics. */
    private static StreamsBuilder namingEnforced() {
        var props = new HashMap<String, Object>(streamsOverrides());
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, "breachwatch-topology");
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
        // a silent StreamsConfig: this one only carries topology settings, logging it would mislead
        return new StreamsBuilder(new org.apache.kafka.streams.TopologyConfig(new StreamsConfig(props, false) { }));
    }
}
