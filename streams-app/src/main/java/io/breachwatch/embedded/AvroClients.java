package io.breachwatch.embedded;

import io.breachwatch.schema.AccessEvent;
import io.breachwatch.schema.Incident;
import io.breachwatch.serde.AvroSerde;
import io.breachwatch.serde.SchemaRegistryClient;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

import java.util.Map;

/**
 * The clients around a running Breachwatch on a local broker ({@code demo} and the integration tests): an Avro
 * access-event producer and a read_committed incident consumer, both through the Confluent wire format.
 */
public final class AvroClients {
    private AvroClients() {
    }

    /** Idempotent producer of AccessEvents in the Confluent wire format; send {@link #record}s. */
    public static KafkaProducer<String, AccessEvent> eventProducer(String bootstrapServers, SchemaRegistryClient registry) {
        return new KafkaProducer<>(producerConfig(bootstrapServers), new StringSerializer(), eventSerializer(registry));
    }

    /** What {@link #eventProducer} serializes event values with: the Confluent wire format, schema in {@code registry}. */
    public static Serializer<AccessEvent> eventSerializer(SchemaRegistryClient registry) {
        return AvroSerde.<AccessEvent>forValues(registry, AccessEvent.getClassSchema()).serializer();
    }

    /** A producer of records serialized already (e.g. by {@link #eventSerializer}), with {@link #eventProducer}'s settings. */
    public static KafkaProducer<byte[], byte[]> bytesProducer(String bootstrapServers) {
        return new KafkaProducer<>(producerConfig(bootstrapServers), new ByteArraySerializer(), new ByteArraySerializer());
    }

    private static Map<String, Object> producerConfig(String bootstrapServers) {
        return Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true,
                ProducerConfig.ACKS_CONFIG, "all",
                ProducerConfig.LINGER_MS_CONFIG, 5,
                ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4");
    }

    /** The event keyed {@link #key}, with its event time as the record timestamp. */
    public static ProducerRecord<String, AccessEvent> record(String topic, AccessEvent event) {
        return record(topic, key(event), event);
    }

    /** The event with any key (the input accepts any), its event time as the record timestamp. */
    public static ProducerRecord<String, AccessEvent> record(String topic, String key, AccessEvent event) {
        return new ProducerRecord<>(topic, null, event.getTimestamp().toEpochMilli(), key, event);
    }

    /** An event's key on the input topic: {@code tenant_id/user_id}. */
    public static String key(AccessEvent event) {
        return event.getTenantId() + "/" + event.getUserId();
    }

    /** A consumer of incidents that sees committed (exactly-once) output only, from the beginning. */
    public static KafkaConsumer<String, Incident> incidentConsumer(String bootstrapServers, SchemaRegistryClient registry, String groupId) {
        return consumer(bootstrapServers, groupId, AvroSerde.<Incident>forValues(registry, Incident.getClassSchema()).deserializer());
    }

    /** A consumer with string keys and the given values that sees committed (exactly-once) output only, from the beginning. */
    public static <V> KafkaConsumer<String, V> consumer(String bootstrapServers, String groupId, Deserializer<V> values) {
        return new KafkaConsumer<>(Map.<String, Object>of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ConsumerConfig.GROUP_ID_CONFIG, groupId,
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed",
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false), new StringDeserializer(), values);
    }
}
