package io.breachwatch.http;

import io.breachwatch.schema.Incident;
import org.apache.kafka.streams.KafkaStreams;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** A settable {@link StreamsView}: state, incidents, actors, and an optional failure to throw. */
final class FakeStreamsView implements StreamsView {
    volatile KafkaStreams.State state = KafkaStreams.State.CREATED;
    final List<Incident> incidents = new ArrayList<>();
    final Map<String, ActorState> actors = new java.util.HashMap<>();
    volatile RuntimeException failure;

    @Override
    public KafkaStreams.State state() {
        return state;
    }

    @Override
    public List<Incident> incidents(IncidentQuery query) {
        failIfAsked();
        return query.select(incidents.stream());
    }

    @Override
    public void forEachIncident(java.util.function.Consumer<Incident> action) {
        failIfAsked();
        incidents.forEach(action);
    }

    @Override
    public ActorState actor(String tenant, String user) {
        failIfAsked();
        return actors.getOrDefault(tenant + "/" + user, new ActorState(tenant, user, Map.of(), Map.of()));
    }

    @Override
    public String topologyDescription() {
        return "Topologies:\n   Sub-topology: 0\n    Source: access-events (topics: [crm.access-events])\n";
    }

    private void failIfAsked() {
        if (failure != null) {
            throw failure;
        }
    }
}
