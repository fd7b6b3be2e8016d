package io.breachwatch.metrics;

/**
 * The contract between the detectors (which record these meters through Micrometer) and the dashboards and
 * alert rules (which query them). Micrometer names; Prometheus renders {@code breachwatch.events.consumed} as
 * {@code breachwatch_events_consumed_total}. Tags are bounded (rule, severity, action, outcome, reason):
 * never a user id, customer id, IP or any other personal information.
 */
public final class MetricNames {
    /**
     * Counter, no tags. Every input record, whatever becomes of it. Accounting: records consumed = events consumed
     * (valid) + events dead-lettered, at all times; each valid record then passes every rule or is counted late
     * for that rule.
     */
    public static final String RECORDS_CONSUMED = "breachwatch.records.consumed";
    /** Counter; tags action, outcome. Every input record that was decoded and validated. */
    public static final String EVENTS_CONSUMED = "breachwatch.events.consumed";
    /** Counter; tag rule ("ingest" when late for every rule). Records later than grace: counted, not silently dropped. */
    public static final String EVENTS_LATE = "breachwatch.events.late";
    /** Counter; tag reason. Records sent to the dead-letter topic. */
    public static final String EVENTS_DEAD_LETTERED = "breachwatch.events.dead.lettered";
    /** Counter; tags rule, severity. First emit of an incident (revision 1). */
    public static final String INCIDENTS_EMITTED = "breachwatch.incidents.emitted";
    /** Counter; tags rule, severity. Re-emits with a higher revision. */
    public static final String INCIDENTS_REVISED = "breachwatch.incidents.revised";
    /** Counter; tag rule. Incidents suppressed by the allowlist (still emitted with status SUPPRESSED). */
    public static final String INCIDENTS_SUPPRESSED = "breachwatch.incidents.suppressed";
    /** Counter; tag rule. Incidents emitted with status RESOLVED after incident.resolve-after without activity. */
    public static final String INCIDENTS_RESOLVED = "breachwatch.incidents.resolved";
    /** Counter; tag obligation (PIPL_57_AUTHORITY, PIPL_57_INDIVIDUALS, CAC_INCIDENT_REPORT, GDPR_33). Notice tasks written to topics.notices. */
    public static final String NOTICES_EMITTED = "breachwatch.notices.emitted";
    /** Timer with histogram; tag rule. Event time of the triggering event to incident emit (stream time). */
    public static final String DETECTION_LATENCY = "breachwatch.detection.latency";
    /** Timer with histogram; tag rule. Wall clock from ingest of the triggering event to incident emit. */
    public static final String INGEST_LATENCY = "breachwatch.ingest.latency";

    /**
     * Gauge; tags obligation (code, e.g. PIPL_57_AUTHORITY), applies (yes, assess). Notification obligations with a
     * deadline whose incident is not RESOLVED or SUPPRESSED, from a periodic scan of the incident store.
     */
    public static final String OBLIGATIONS_OPEN = "breachwatch.obligations.open";
    /**
     * Gauge, base unit seconds ({@code breachwatch_obligation_next_due_seconds}); tags obligation, applies. Time
     * until the earliest open deadline: negative when overdue, NaN when none is open.
     */
    public static final String OBLIGATION_NEXT_DUE = "breachwatch.obligation.next.due";

    private MetricNames() {
    }
}
