package io.breachwatch.detect;

import io.breachwatch.schema.AccessEvent;
import io.breachwatch.schema.Incident;

/**
 * One windowed threshold rule: which events it counts, per which entity, what it observes in a window, and how
 * it says what happened. The shared plumbing (windows, late records, stores, incidents) lives in
 * {@link WindowedDetection} and {@code io.breachwatch.incident}; a detector class is only the rule itself.
 */
public interface Detector {

    /** Whom a rule aggregates over. */
    enum EntityKind {
        /** One user of one tenant: entity {@code tenant/user}. */
        USER,
        /** One source IP address within one tenant: entity {@code tenant/ip}. */
        SOURCE_IP
    }

    WindowRuleConfig config();

    default String ruleId() {
        return config().ruleId();
    }

    /** What kind of harm, for the incident's {@code type}: bulk_export, record_enumeration, ... */
    String incidentType();

    EntityKind entityKind();

    /** Whether this event counts towards the rule (before the entity is known). */
    boolean counts(AccessEvent event);

    /** The value whose distinct count the rule observes, or null; by default the customer whose record was read. */
    default String distinctValue(AccessEvent event) {
        return event.getCustomerId();
    }

    /** Whether {@link #distinctValue} names customers (then the distinct count is the incident's distinct_customers). */
    default boolean distinctAreCustomers() {
        return true;
    }

    /** The value compared with the threshold. */
    double observed(WindowAggregate window);

    /** Estimated number of individuals whose PI is involved; 0 when the rule says nothing about it. */
    default long affectedIndividuals(Incident incident) {
        return incident.getDistinctCustomers();
    }

    /** One plain-language sentence with the numbers, ids only (no names, no IP addresses). */
    String summary(Incident incident);

    /** The aggregation key, or null when the event lacks what the key needs (the event is then skipped). */
    default String entity(AccessEvent event) {
        var second = switch (entityKind()) {
            case USER -> event.getUserId();
            case SOURCE_IP -> event.getSourceIp();
        };
        return second == null || second.isEmpty() ? null : event.getTenantId() + "/" + second;
    }
}
