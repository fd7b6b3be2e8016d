package io.breachwatch.detect;

import io.breachwatch.metrics.DetectorMetrics;
import io.breachwatch.schema.AccessEvent;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.Repartitioned;

/**
 * What a rule may use to build its part of the topology: the builder, serdes, metrics, where to keep state (use
 * {@link StateStores} for every store), and whether one task sees every record ({@code replay}): then a rule that
 * moves records to another key's partition passes them straight on instead (nothing is elsewhere).
 */
public record RuleContext(StreamsBuilder builder, Serde<AccessEvent> eventSerde, DetectorMetrics metrics, StateStores stores,
                          boolean singleTask) {

    /**
     * {@code stream} on the partition of its keys: through the repartition topic {@code as}, or as it is in a
     * single task. Downstream processors must expect records forwarded to them while their sender is still at work.
     */
    public <K, V> KStream<K, V> repartition(KStream<K, V> stream, Repartitioned<K, V> as) {
        return singleTask ? stream : stream.repartition(as);
    }
}
