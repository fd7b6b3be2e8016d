package io.breachwatch.detect;

import io.breachwatch.schema.AccessEvent;
import org.apache.kafka.streams.kstream.KStream;

import java.time.Duration;

/**
 * One detection rule driven by access events: its part of the topology (events keyed by its entity in,
 * findings out) and, through {@link IncidentRule}, how its incidents read. Windowed threshold rules implement
 * {@link Detector}, which supplies the topology part; rules with their own state (baselines, last login,
 * sessions) implement {@link #findings} themselves. Adding a rule is its own class plus one line in
 * {@link Detectors}.
 */
public interface Rule extends IncidentRule {

    /** Whether this event could matter to the rule; events that cannot are not routed to it. */
    boolean counts(AccessEvent event);

    /** Adds this rule's part of the topology. Input: events keyed by entity; output: findings keyed by case key. */
    KStream<String, Finding> findings(KStream<String, AccessEvent> eventsByEntity, RuleContext context);

    /** How long (event time) this rule's findings may still arrive for an incident: stores must keep it that long. */
    default Duration horizon() {
        return settings().window().plus(settings().mergeGap());
    }

    /** The aggregation key, or null when the event lacks what the key needs. */
    static String entity(EntityKind kind, AccessEvent event) {
        var second = switch (kind) {
            case USER -> event.getUserId();
            case SOURCE_IP -> event.getSourceIp();
        };
        return second == null || second.isEmpty() ? null : event.getTenantId() + "/" + second;
    }
}
