package io.breachwatch.sim;

import java.util.Locale;

/** Injected breach scenarios and the rule expected to detect each. */
public enum ScenarioKind {
    /** A departing sales rep exports ~40,000 customer rows after hours (4x the bulk-export threshold). */
    DEPARTING_EMPLOYEE_EXPORT("bulk-export", false),
    /** A support account views ~900 distinct customers within 45 minutes (4.5x the record-enumeration threshold). */
    RECORD_ENUMERATION("record-enumeration", false),
    /** A marketer hits ~80 DENIED responses in 6 minutes (4x the access-denied-burst threshold). */
    ACCESS_DENIED_BURST("access-denied-burst", false),
    /** One foreign IP fails logins for ~45 distinct user ids in 4 minutes (4.5x the credential-stuffing threshold). */
    CREDENTIAL_STUFFING("credential-stuffing", true),
    /** A sales rep logs in at the office, then 90 minutes later the same account logs in from Amsterdam (~5,000 km/h). */
    IMPOSSIBLE_TRAVEL("impossible-travel", false),
    /** A former employee's account, last used 120 days earlier, logs in from home and reads and exports contacts. */
    DORMANT_ACCOUNT("dormant-account", false),
    /** A support rep's session cookie is replayed from Amsterdam while the rep keeps working in the office. */
    SESSION_HIJACK("session-hijack", false),
    /** A marketer opens lists with bank accounts and ID numbers, which marketing may not read: 120 records in 40 minutes (6x the sensitive-data-access threshold). */
    SENSITIVE_DATA_ACCESS("sensitive-data-access", false),
    /** A sales rep exports 8,000 contact rows from home at 22:00 local time (1.6x the off-hours-export floor, below bulk-export). */
    OFF_HOURS_EXPORT("off-hours-export", false),
    /** A sales rep mails 600 contact rows to a partner in Singapore during office hours (any record leaving CN fires cross-border-transfer). */
    CROSS_BORDER_TRANSFER("cross-border-transfer", false),
    /**
     * A sales rep pulls 20,000 rows over a working day, 1,000 every 12 minutes (about 6x the role's daily median),
     * never more than 5,000 in an hour: below bulk-export, far above their own and their peers' daily volume.
     */
    EXPORT_SPIKE("export-baseline", false);

    private final String expectedRule;
    private final boolean actorIsIp;

    ScenarioKind(String expectedRule, boolean actorIsIp) {
        this.expectedRule = expectedRule;
        this.actorIsIp = actorIsIp;
    }

    public String expectedRule() {
        return expectedRule;
    }

    /** True when the actor is a source IP rather than a user id. */
    public boolean actorIsIp() {
        return actorIsIp;
    }

    public String id() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }
}
