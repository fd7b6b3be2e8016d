package io.breachwatch.notice;

import io.breachwatch.detect.StateStores;
import io.breachwatch.metrics.DetectorMetrics;
import io.breachwatch.schema.BreachNotice;
import io.breachwatch.schema.Incident;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.Named;

import java.time.Duration;

/**
 * Breach-notice tasks made from the incidents exactly as they are written to the incidents topic (so whatever
 * is done to an incident before its sink, e.g. pseudonymization, holds for its notices); output keyed by incident_id.
 * It runs in the incident stage's task: an incident's revisions all come from one partition.
 */
public final class NoticeStage {
    /** Key-value store: {@code incident_id|obligation} -> what the last notice of it said ({@link NoticeContent}). */
    public static final String STORE = "breach-notices-issued";

    private NoticeStage() {
    }

    /**
     * @param retention how long (event time after an incident's last_seen) to remember an unresolved incident's
     *                  notices: {@code incident.retention}, as long as the incident itself can be revised
     */
    public static KStream<String, BreachNotice> notices(StreamsBuilder builder, KStream<String, Incident> incidents, NoticeConfig config,
                                                        Duration retention, DetectorMetrics metrics, StateStores stores) {
        builder.addStateStore(stores.keyValue(STORE, Serdes.String(), Serdes.String()));
        return incidents.process(() -> new NoticeProcessor(config, retention, metrics), Named.as("notice-builder"), STORE);
    }
}
