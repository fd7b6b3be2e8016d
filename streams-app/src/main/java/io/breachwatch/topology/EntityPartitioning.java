package io.breachwatch.topology;

import org.apache.kafka.common.utils.Utils;
import org.apache.kafka.streams.processor.StreamPartitioner;

import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.Set;

/**
 * Which task keeps an entity's state, and so whether an event must move before its rules see it. The entity
 * repartition topics have as many partitions as the input topic (Kafka Streams creates them so, and refuses to run
 * when they differ) and place an entity where Kafka's default partitioner places its key: partition
 * {@code murmur2(utf8(entity)) % partitions}. Task {@code p} reads partition {@code p} of the input and of every
 * entity topic, so an event read from the input partition its entity maps to is already in the task that owns the
 * entity: it goes to the rules directly. Only the others take the extra trip through the entity topic.
 *
 * <p>Producers that key events {@code tenant_id/user_id} (as DESIGN.md recommends) with Kafka's default
 * partitioner therefore never repartition for the per-user rules; any other key still works, one hop later.
 * With the partition count unknown (0) every event moves, as a runner without that knowledge must.
 */
final class EntityPartitioning implements StreamPartitioner<String, Decoded.Valid> {
    private final int inputPartitions;

    /** @param inputPartitions the input topic's partition count, 0 when unknown (then no event counts as in place) */
    EntityPartitioning(int inputPartitions) {
        if (inputPartitions < 0) {
            throw new IllegalArgumentException("input partitions must be >= 0 (0 = unknown), got " + inputPartitions);
        }
        this.inputPartitions = inputPartitions;
    }

    /** The partition, hence the task, that owns {@code entity} among {@code partitions}. */
    static int partitionOf(String entity, int partitions) {
        return Utils.toPositive(Utils.murmur2(entity.getBytes(StandardCharsets.UTF_8))) % partitions;
    }

    /** True when the event was read from the input partition that owns its entity. */
    boolean inPlace(String entity, Decoded.Valid event) {
        return inputPartitions > 0 && event.partition() == partitionOf(entity, inputPartitions);
    }

    @Override
    public Optional<Set<Integer>> partitions(String topic, String entity, Decoded.Valid event, int partitions) {
        if (inputPartitions > 0 && partitions != inputPartitions) { // events in place and moved would meet in different tasks
            throw new IllegalStateException(topic + " has " + partitions + " partitions but the input topic had " + inputPartitions
                    + " when this instance started: restart the application (after a partition change of the input topic,"
                    + " reset it with kafka-streams-application-reset so its internal topics are created again)");
        }
        return Optional.of(Set.of(partitionOf(entity, partitions)));
    }
}
