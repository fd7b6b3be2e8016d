package io.breachwatch.embedded;

import io.breachwatch.runtime.StreamsRuntime;
import io.breachwatch.schema.AccessEvent;
import io.breachwatch.schema.Incident;
import io.breachwatch.serde.AvroSerde;
import io.breachwatch.serde.SchemaRegistryClient;
import io.breachwatch.topology.BreachwatchTopology;
import io.breachwatch.topology.TopologyConfig;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.StreamsConfig;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;

/**
 * The detector topology running on a local broker (the embedded one for {@code demo} and the integration
 * tests), plus the clients around it: an Avro event producer and a read_committed incident consumer.
 */
public final class LocalDetector implements AutoCloseable {
    private final StreamsRuntime runtime;

    /** Builds the topology and its runtime; {@link #start()} starts processing. */
    public LocalDetector(String bootstrapServers, SchemaRegistryClient registry, TopologyConfig config,
                         String applicationId, Path stateDir) {
        var topology = BreachwatchTopology.build(config, registry, new SimpleMeterRegistry());
        this.runtime = new StreamsRuntime(topology, streamsProperties(bootstrapServers, applicationId, stateDir));
    }

    public static Properties streamsProperties(String bootstrapServers, String applicationId, Path stateDir) {
        var props = new Properties();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, applicationId);
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        props.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
        props.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
        props.put(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, "100");
        props.put(StreamsConfig.consumerPrefix(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG), "earliest");
        return props;
    }

    public void start() {
        runtime.start();
    }

    public StreamsRuntime runtime() {
        return runtime;
    }

    /** Creates the input (3 partitions), incident (compacted) and dead-letter topics. */
    public static void createTopics(EmbeddedKafkaBroker broker, TopologyConfig config) {
        broker.createTopics(List.of(
                new NewTopic(config.inputTopic(), 3, (short) 1),
                new NewTopic(config.incidentsTopic(), 1, (short) 1).configs(Map.of("cleanup.policy", "compact")),
                new NewTopic(config.dlqTopic(), 1, (short) 1)));
    }

    /** Idempotent producer of AccessEvents in the Confluent wire format, keyed tenant_id/user_id. */
    public static KafkaProducer<String, AccessEvent> eventProducer(String bootstrapServers, SchemaRegistryClient registry) {
        var serde = AvroSerde.<AccessEvent>forValues(registry, AccessEvent.getClassSchema());
        return new KafkaProducer<>(Map.<String, Object>of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true,
                ProducerConfig.ACKS_CONFIG, "all",
                ProducerConfig.LINGER_MS_CONFIG, 5,
                ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4"), new StringSerializer(), serde.serializer());
    }

    public static ProducerRecord<String, AccessEvent> record(String topic, AccessEvent event) {
        return new ProducerRecord<>(topic, null, event.getTimestamp().toEpochMilli(), event.getTenantId() + "/" + event.getUserId(), event);
    }

    /** A consumer of incidents that sees committed (exactly-once) output only, from the beginning. */
    public static KafkaConsumer<String, Incident> incidentConsumer(String bootstrapServers, SchemaRegistryClient registry, String groupId) {
        var serde = AvroSerde.<Incident>forValues(registry, Incident.getClassSchema());
        return new KafkaConsumer<>(Map.<String, Object>of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ConsumerConfig.GROUP_ID_CONFIG, groupId,
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed",
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false), new StringDeserializer(), serde.deserializer());
    }

    public void close(Duration timeout) {
        runtime.close(timeout);
    }

    @Override
    public void close() {
        close(Duration.ofSeconds(30));
    }
}
