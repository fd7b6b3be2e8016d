package io.breachwatch.detect;

import io.breachwatch.metrics.DetectorMetrics;
import io.breachwatch.schema.AccessEvent;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.streams.StreamsBuilder;

/** What a rule may use to build its part of the topology: the builder, serdes, metrics, and where to keep state (use {@link StateStores} for every store). */
public record RuleContext(StreamsBuilder builder, Serde<AccessEvent> eventSerde, DetectorMetrics metrics, StateStores stores) {
}
