package io.breachwatch.incident;

import io.breachwatch.config.Field;
import io.breachwatch.config.Settings;

import java.time.Duration;
import java.util.List;
import java.util.Set;

/**
 * Per-tenant facts the law turns on: operator type (CAC deadlines), whether EU residents' data is processed
 * (GDPR Art. 33), and the thresholds of the "relatively major" grade.
 */
public record ObligationPolicy(Set<String> ciioTenants, Set<String> stateOrganTenants, Set<String> gdprTenants,
                               OperatorType defaultOperatorType, long cacAffectedThreshold,
                               Duration individualNoticeWithin, long highSeverityAffected) {

    public static final Field<Set<String>> CIIO_TENANTS = Field.list("obligations.ciio-tenants", "",
            "Tenants that are critical information infrastructure operators (CAC report within 1 h)");
    public static final Field<Set<String>> STATE_ORGAN_TENANTS = Field.list("obligations.state-organ-tenants", "",
            "Tenants that are state organs (CAC report within 2 h)");
    public static final Field<OperatorType> DEFAULT_OPERATOR_TYPE = Field.enumOf("obligations.default-operator-type",
            OperatorType.class, OperatorType.OTHER, "Operator type of every other tenant (OTHER: CAC report within 4 h)");
    public static final Field<Set<String>> GDPR_TENANTS = Field.list("obligations.gdpr-tenants", "",
            "Tenants that process EU residents' data (GDPR Art. 33: notify the supervisory authority within 72 h)");
    public static final Field<Long> CAC_AFFECTED_THRESHOLD = Field.positiveLong("obligations.cac.affected-threshold", 1_000_000,
            "Estimated affected individuals from which an incident is graded 'relatively major' and must be reported to the CAC");
    public static final Field<Duration> INDIVIDUAL_NOTICE_WITHIN = Field.duration("obligations.individual-notice-within", "72h",
            "Target time to notify affected individuals under PIPL Art. 57 (the law says 'immediately'; this sets due_at)");
    public static final Field<Long> HIGH_SEVERITY_AFFECTED = Field.positiveLong("obligations.high-severity-affected", 10_000,
            "Estimated affected individuals from which an incident is at least HIGH severity");

    public static List<Field<?>> fields() {
        return List.of(CIIO_TENANTS, STATE_ORGAN_TENANTS, DEFAULT_OPERATOR_TYPE, GDPR_TENANTS, CAC_AFFECTED_THRESHOLD,
                INDIVIDUAL_NOTICE_WITHIN, HIGH_SEVERITY_AFFECTED);
    }

    public static ObligationPolicy from(Settings s) {
        return new ObligationPolicy(s.get(CIIO_TENANTS), s.get(STATE_ORGAN_TENANTS), s.get(GDPR_TENANTS),
                s.get(DEFAULT_OPERATOR_TYPE), s.get(CAC_AFFECTED_THRESHOLD), s.get(INDIVIDUAL_NOTICE_WITHIN),
                s.get(HIGH_SEVERITY_AFFECTED));
    }

    public static ObligationPolicy defaults() {
        return from(Settings.empty());
    }

    public OperatorType operatorType(String tenant) {
        if (tenant != null && ciioTenants.contains(tenant)) {
            return OperatorType.CIIO;
        }
        if (tenant != null && stateOrganTenants.contains(tenant)) {
            return OperatorType.STATE_ORGAN;
        }
        return defaultOperatorType;
    }

    public boolean processesEuResidents(String tenant) {
        return tenant != null && gdprTenants.contains(tenant);
    }
}
