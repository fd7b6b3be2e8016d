package io.breachwatch.http;

import io.breachwatch.schema.Incident;
import org.apache.kafka.streams.KafkaStreams;

import java.util.List;
import java.util.function.Consumer;

/**
 * What the HTTP API reads from the running application. {@link KafkaStreamsView} answers from a
 * {@link KafkaStreams} instance and its queryable stores; tests use a fake.
 */
public interface StreamsView {

    KafkaStreams.State state();

    /** Incidents matching the query, most recently detected first, at most {@code query.limit()}. */
    List<Incident> incidents(IncidentQuery query);

    /** Passes every incident in the store (latest revision each, any order) to {@code action}: the deadline watch. */
    void forEachIncident(Consumer<Incident> action);

    /** The actor's current window values and per-user state (baseline, last login, ...), store by store. */
    ActorState actor(String tenant, String user);

    /** {@code Topology.describe()} as text. */
    String topologyDescription();

    /** Thrown when a store cannot be queried yet (starting, rebalancing): the client should retry. */
    final class NotQueryableException extends RuntimeException {
        public NotQueryableException(String message) {
            super(message);
        }
    }
}
