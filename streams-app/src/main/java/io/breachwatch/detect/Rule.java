package io.breachwatch.detect;

import io.breachwatch.schema.AccessEvent;
import io.breachwatch.schema.Incident;
import org.apache.kafka.streams.kstream.KStream;

import java.time.Duration;

/**
 * One detection rule: its part of the topology (events keyed by its entity in, findings out) and how its
 * incidents read. Windowed threshold rules implement {@link Detector}, which supplies the topology part;
 * rules with their own state (baselines, last login, sessions) implement {@link #findings} themselves.
 * Adding a rule is its own class plus one line in {@link Detectors}.
 */
public interface Rule {

    /** Whom a rule aggregates over. */
    enum EntityKind {
        /** One user of one tenant: entity {@code tenant/user}. */
        USER,
        /** One source IP address within one tenant: entity {@code tenant/ip}. */
        SOURCE_IP
    }

    /** What the incident stage needs of every rule. */
    RuleSettings settings();

    default String ruleId() {
        return settings().ruleId();
    }

    /** What kind of harm, for the incident's {@code type}: bulk_export, record_enumeration, ... */
    String incidentType();

    EntityKind entityKind();

    /**
     * True when the rule sees data leave or be read in bulk (exports, scraping, transfers): the PIPL Art. 57
     * authority notice then applies; false when it sees an access pattern only (a leak is possible, to assess).
     */
    boolean dataLeft();

    /** Whether this event could matter to the rule; events that cannot are not routed to it. */
    boolean counts(AccessEvent event);

    /** Adds this rule's part of the topology. Input: events keyed by entity; output: findings keyed by case key. */
    KStream<String, Finding> findings(KStream<String, AccessEvent> eventsByEntity, RuleContext context);

    /** Whether the distinct count of a finding's window names customers (then it is the incident's distinct_customers). */
    default boolean distinctAreCustomers() {
        return true;
    }

    /** Estimated number of individuals whose PI is involved; 0 when the rule says nothing about it. */
    default long affectedIndividuals(Incident incident) {
        return incident.getDistinctCustomers();
    }

    /** One plain-language sentence with the numbers, ids only (no names, no IP addresses). */
    String summary(Incident incident);

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
