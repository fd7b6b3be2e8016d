package io.breachwatch.detect;

import io.breachwatch.schema.Incident;

/**
 * What the incident stage needs to know of a rule to turn its findings into incidents: settings, the kind of
 * harm, whom it is about, and how its incidents read. Event-driven rules implement {@link Rule}; correlation
 * rules that work on incidents (exfiltration-chain) implement only this.
 */
public interface IncidentRule {

    /** Whom a rule aggregates over. */
    enum EntityKind {
        /** One user of one tenant: entity {@code tenant/user}. */
        USER,
        /** One source IP address within one tenant: entity {@code tenant/ip}. */
        SOURCE_IP
    }

    RuleSettings settings();

    default String ruleId() {
        return settings().ruleId();
    }

    /** What kind of harm, for the incident's {@code type}: bulk_export, record_enumeration, ... */
    String incidentType();

    /** Whom the rule is about; every rule but the per-IP ones is about one user. */
    default EntityKind entityKind() {
        return EntityKind.USER;
    }

    /**
     * True when the rule sees data leave or be read in bulk (exports, scraping, transfers): the PIPL Art. 57
     * authority notice then applies; false when it sees an access pattern only (a leak is possible, to assess).
     */
    boolean dataLeft();

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
}
