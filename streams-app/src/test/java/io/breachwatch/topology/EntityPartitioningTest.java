package io.breachwatch.topology;

import io.breachwatch.sim.SimConfig;
import io.breachwatch.sim.Simulator;
import org.apache.kafka.clients.producer.internals.BuiltInPartitioner;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class EntityPartitioningTest {

    @Test
    void placesAnEntityWhereKafkasDefaultPartitionerPutsItsKey() {
        var events = new Simulator(SimConfig.of(5, 200, 3, 1)).stream().limit(2_000).toList();
        for (int partitions : new int[] {1, 4, 6, 7}) {
            for (var event : events) {
                var key = event.getTenantId() + "/" + event.getUserId();
                assertThat(EntityPartitioning.partitionOf(key, partitions)).as(key)
                        .isEqualTo(BuiltInPartitioner.partitionForKey(key.getBytes(StandardCharsets.UTF_8), partitions));
            }
        }
    }

    @Test
    void anEventIsInPlaceOnlyOnThePartitionThatOwnsItsEntity() {
        var partitioning = new EntityPartitioning(4);
        var owner = EntityPartitioning.partitionOf("acme/u-7", 4);

        assertThat(partitioning.inPlace("acme/u-7", event(owner))).isTrue();
        assertThat(partitioning.inPlace("acme/u-7", event((owner + 1) % 4))).isFalse();
        assertThat(partitioning.inPlace("acme/u-7", event(-1))).as("moved already").isFalse();
        assertThat(new EntityPartitioning(0).inPlace("acme/u-7", event(owner))).as("partition count unknown").isFalse();
        assertThat(partitioning.partitions("t", "acme/u-7", event(2), 4)).isEqualTo(Optional.of(Set.of(owner)));
    }

    @Test
    void refusesAnEntityTopicWhosePartitionCountDiffersFromTheInputs() {
        assertThatThrownBy(() -> new EntityPartitioning(4).partitions("app-events-by-user-repartition", "acme/u-7", event(0), 6))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("app-events-by-user-repartition has 6 partitions but the input topic had 4")
                .hasMessageContaining("kafka-streams-application-reset");
        assertThatThrownBy(() -> new EntityPartitioning(-1)).isInstanceOf(IllegalArgumentException.class);
    }

    private static Decoded.Valid event(int partition) {
        return new Decoded.Valid(null, new byte[0], partition);
    }
}
