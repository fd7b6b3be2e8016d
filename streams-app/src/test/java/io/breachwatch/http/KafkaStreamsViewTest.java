package io.breachwatch.http;

import io.breachwatch.detect.EntityWindows;
import io.breachwatch.detect.WindowAggregate;
import io.breachwatch.topology.TopologyHarness;
import io.breachwatch.schema.Incident;
import io.breachwatch.schema.Severity;
import io.breachwatch.serde.AvroBinarySerde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.Materialized;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;
import org.apache.kafka.streams.state.Stores;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.TreeMap;
import java.util.Properties;
import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;

import static io.breachwatch.http.Incidents.incident;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The view's store reads, against real stores of a TopologyTestDriver. */
class KafkaStreamsViewTest {
    private static final Instant T0 = Instant.parse("2025-11-03T02:00:00Z");
    private static final KafkaStreamsView.Stores STORES = new KafkaStreamsView.Stores(
            "incidents", List.of("actor-counts"), List.of("last-login"), (tenant, user) -> tenant + "/" + user);

    private static Topology topology() {
        var builder = new StreamsBuilder();
        var incidentSerde = new AvroBinarySerde<Incident>(Incident.getClassSchema());
        builder.stream("incidents-in", Consumed.with(Serdes.String(), incidentSerde))
                .toTable(Materialized.<String, Incident, KeyValueStore<Bytes, byte[]>>as("incidents").withKeySerde(Serdes.String()).withValueSerde(incidentSerde));
        // a rule's window store: actor -> its windows as EntityWindows encodes them, here 15-minute windows
        builder.addStateStore(Stores.keyValueStoreBuilder(Stores.inMemoryKeyValueStore("actor-counts"), Serdes.String(), Serdes.ByteArray()));
        builder.stream("events", Consumed.with(Serdes.String(), Serdes.String()))
                .process(() -> new Processor<String, String, Void, Void>() {
                    private KeyValueStore<String, byte[]> store;

                    @Override
                    public void init(ProcessorContext<Void, Void> context) {
                        store = context.getStateStore("actor-counts");
                    }

                    @Override
                    public void process(Record<String, String> record) {
                        var stored = store.get(record.key());
                        var windows = stored == null ? new TreeMap<Long, WindowAggregate>() : EntityWindows.read(stored);
                        var size = Duration.ofMinutes(15).toMillis();
                        var event = TopologyHarness.export(record.key().split("/")[1], Instant.ofEpochMilli(record.timestamp()), 1);
                        windows.computeIfAbsent(record.timestamp() / size * size, start -> new WindowAggregate()).add(event, null);
                        store.put(record.key(), EntityWindows.write(windows));
                    }
                }, "actor-counts");
        builder.stream("logins", Consumed.with(Serdes.String(), Serdes.String()))
                .toTable(Materialized.<String, String, KeyValueStore<Bytes, byte[]>>as("last-login").withKeySerde(Serdes.String()).withValueSerde(Serdes.String()));
        return builder.build();
    }

    /** Not the shared default /tmp/kafka-streams: parallel builds would lock each other's stores. */
    @TempDir
    Path stateDir;

    private TopologyTestDriver driver(Topology topology) {
        var props = new Properties();
        props.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, "view-test");
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
        return new TopologyTestDriver(topology, props, T0);
    }

    private static KafkaStreamsView view(TopologyTestDriver driver, Topology topology) {
        return new KafkaStreamsView(() -> KafkaStreams.State.RUNNING, topology.describe(), STORES, new KafkaStreamsView.StoreLookup() {
            @Override
            public ReadOnlyKeyValueStore<Object, Object> keyValueStore(String name) {
                return driver.getKeyValueStore(name);
            }
        });
    }

    @Test
    void readsMatchingIncidentsFromTheStoreNewestFirst() {
        var topology = topology();
        try (var driver = driver(topology)) {
            var in = driver.createInputTopic("incidents-in", Serdes.String().serializer(),
                    new AvroBinarySerde<Incident>(Incident.getClassSchema()).serializer());
            in.pipeInput("a", incident("a", "bulk-export", Severity.HIGH, "t1", T0));
            in.pipeInput("b", incident("b", "bulk-export", Severity.CRITICAL, "t1", T0.plusSeconds(60)));
            in.pipeInput("c", incident("c", "dormant-account", Severity.LOW, "t2", T0.plusSeconds(120)));

            var view = view(driver, topology);
            assertThat(view.incidents(IncidentQuery.all())).extracting(Incident::getIncidentId).containsExactly("c", "b", "a");
            assertThat(view.incidents(new IncidentQuery("bulk-export", null, "t1", null, 1)))
                    .extracting(Incident::getIncidentId).containsExactly("b");
        }
    }

    @Test
    void readsAnActorsWindowsNewestFirstAndItsKeyValueState() {
        var topology = topology();
        try (var driver = driver(topology)) {
            var events = driver.createInputTopic("events", Serdes.String().serializer(), Serdes.String().serializer());
            events.pipeInput("t1/u1", "EXPORT", T0);
            events.pipeInput("t1/u1", "EXPORT", T0.plusSeconds(60));
            events.pipeInput("t1/u1", "EXPORT", T0.plus(Duration.ofMinutes(16)));
            events.pipeInput("t1/u2", "EXPORT", T0);
            driver.createInputTopic("logins", Serdes.String().serializer(), Serdes.String().serializer())
                    .pipeInput("t1/u1", "CN", T0);

            var actor = view(driver, topology).actor("t1", "u1");
            assertThat(actor.windows().get("actor-counts"))
                    .extracting(w -> w.windowStart() + " " + ((WindowAggregate) w.value()).eventCount())
                    .containsExactly(T0.plus(Duration.ofMinutes(15)) + " 1", T0 + " 2");
            assertThat(actor.values()).containsEntry("last-login", "CN");
            assertThat(view(driver, topology).actor("t1", "nobody").values()).isEmpty();
        }
    }

    @Test
    void describesTheTopology() {
        var topology = topology();
        try (var driver = driver(topology)) {
            assertThat(view(driver, topology).topologyDescription()).contains("incidents-in", "actor-counts");
        }
    }

    @Test
    void answersNotQueryableNamingTheStoreBeforeStreamsStarts() {
        var props = new Properties();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, "view-test-empty");
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "127.0.0.1:1");
        props.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
        var builder = new StreamsBuilder();
        builder.stream("in", Consumed.with(Serdes.String(), Serdes.String())).to("out");
        var topology = builder.build();
        try (var streams = new KafkaStreams(topology, props)) {
            var view = new KafkaStreamsView(streams, topology.describe(), STORES);
            assertThatThrownBy(() -> view.incidents(IncidentQuery.all()))
                    .isInstanceOf(StreamsView.NotQueryableException.class)
                    .hasMessageContaining("'incidents'");
        }
    }
}
