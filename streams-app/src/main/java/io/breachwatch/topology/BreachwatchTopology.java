package io.breachwatch.topology;

import io.breachwatch.serde.SchemaRegistryClient;
import io.micrometer.core.instrument.MeterRegistry;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.Topology;

/** STUB: the detector work replaces this. The topology is a pure function of configuration. */
public final class BreachwatchTopology {
    private BreachwatchTopology() {
    }

    public static Topology build(TopologyConfig config, SchemaRegistryClient registry, MeterRegistry meters) {
        var builder = new StreamsBuilder();
        return builder.build();
    }
}
