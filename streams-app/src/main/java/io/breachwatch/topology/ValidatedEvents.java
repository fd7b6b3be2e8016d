package io.breachwatch.topology;

import io.breachwatch.schema.AccessEvent;
import org.apache.kafka.common.serialization.Deserializer;

/**
 * A decode-step deserializer ({@link BreachwatchTopology#buildSingleTask(TopologyConfig,
 * io.breachwatch.serde.SchemaRegistryClient, io.micrometer.core.instrument.MeterRegistry, Deserializer)}) whose events
 * an {@link EventValidator} of the topology's {@link ValidationConfig} has passed already: the decode step does not
 * check them again. Its runner refuses what fails the check itself, with the same {@link EventValidator.Rejection}.
 *
 * <p>For {@code replay}, which parses events on a reader thread: checked there, an event's strings are still in that
 * core's cache; checked again on the topology's thread, reading the length of every string of every event was the
 * first touch of those strings there and cost a tenth of that thread's time.
 */
public interface ValidatedEvents extends Deserializer<AccessEvent> {
}
