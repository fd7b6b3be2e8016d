package io.breachwatch.incident;

import io.breachwatch.detect.Finding;
import io.breachwatch.detect.StateStores;
import io.breachwatch.metrics.DetectorMetrics;
import io.breachwatch.schema.Incident;
import io.breachwatch.serde.AvroBinarySerde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.Named;

/** The one incident stage every rule's findings flow into; output keyed by incident_id. */
public final class IncidentStage {
    /** Key-value store: incident_id -> the latest emitted revision of that incident (queryable). */
    public static final String INCIDENT_STORE = "incidents";
    /** Key-value store: {@code rule|entity} -> that entity's latest incident for the rule, the one findings merge into. */
    public static final String CASE_STORE = "incident-cases";
    /** Key-value store: {@code tenant/user} -> that user's latest access-abuse incident, for exfiltration-chain. */
    public static final String CHAIN_STORE = "exfiltration-chain-abuse";

    private IncidentStage() {
    }

    public static KStream<String, Incident> incidents(StreamsBuilder builder, KStream<String, Finding> findings,
                                                      IncidentConfig config, DetectorMetrics metrics, StateStores stores) {
        var serde = new AvroBinarySerde<Incident>(Incident.getClassSchema());
        for (var name : new String[]{CASE_STORE, INCIDENT_STORE}) {
            builder.addStateStore(stores.keyValue(name, Serdes.String(), serde));
        }
        builder.addStateStore(stores.keyValue(CHAIN_STORE, Serdes.String(), Serdes.String()));
        return findings.process(() -> new IncidentProcessor(config, metrics), Named.as("incident-builder"),
                CASE_STORE, INCIDENT_STORE, CHAIN_STORE);
    }
}
