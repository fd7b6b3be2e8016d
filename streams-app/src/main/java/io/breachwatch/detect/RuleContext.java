package io.breachwatch.detect;

import io.breachwatch.metrics.DetectorMetrics;
import io.breachwatch.schema.AccessEvent;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.streams.StreamsBuilder;

/** What a rule may use to build its part of the topology: the builder (for its stores), serdes and metrics. */
public record RuleContext(StreamsBuilder builder, Serde<AccessEvent> eventSerde, DetectorMetrics metrics) {
}
