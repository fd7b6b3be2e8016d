package io.breachwatch.incident;

import io.breachwatch.schema.Obligation;
import io.breachwatch.schema.Severity;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Which notification duties an incident triggers, why, and by when; and how they raise its severity.
 *
 * <table>
 *   <caption>Severity floor</caption>
 *   <tr><th>condition</th><th>at least</th></tr>
 *   <tr><td>CAC report applies (affected &gt;= obligations.cac.affected-threshold)</td><td>CRITICAL</td></tr>
 *   <tr><td>sensitive PI (PIPL Art. 28) in a data-leaving incident</td><td>HIGH</td></tr>
 *   <tr><td>cross-border transfer (PIPL Arts. 38-40)</td><td>HIGH</td></tr>
 *   <tr><td>affected &gt;= obligations.high-severity-affected</td><td>HIGH</td></tr>
 * </table>
 */
public final class Obligations {
    public static final String PIPL_57_AUTHORITY = "PIPL_57_AUTHORITY";
    public static final String PIPL_57_INDIVIDUALS = "PIPL_57_INDIVIDUALS";
    public static final String CAC_INCIDENT_REPORT = "CAC_INCIDENT_REPORT";
    public static final String PIPL_38_CROSS_BORDER = "PIPL_38_CROSS_BORDER";
    public static final String GDPR_33 = "GDPR_33";

    public static final String YES = "yes";
    public static final String NO = "no";
    public static final String ASSESS = "assess";

    private final ObligationPolicy policy;

    public Obligations(ObligationPolicy policy) {
        this.policy = policy;
    }

    /**
     * What the assessment looks at.
     *
     * @param dataLeft true when the rule saw data leave or be read in bulk (exports, enumeration, transfers);
     *                 false when it saw only an access pattern (denials, logins, sessions), so a leak is possible, not seen
     */
    public record Facts(String tenantId, boolean dataLeft, Set<PiCategory> piCategories, long affectedIndividuals,
                        boolean crossBorder, Instant detectedAt, Severity ruleSeverity) {
        boolean sensitive() {
            return piCategories.stream().anyMatch(PiCategory::sensitive);
        }
    }

    public record Assessment(List<Obligation> obligations, Severity severity) {
    }

    public Assessment assess(Facts f) {
        var operator = policy.operatorType(f.tenantId());
        var reportDue = f.detectedAt().plus(operator.reportWithin());
        var involvesPi = !f.piCategories().isEmpty() || f.affectedIndividuals() > 0;
        var out = new ArrayList<Obligation>();

        if (!involvesPi) {
            out.add(ob(PIPL_57_AUTHORITY, ASSESS, "No personal information was seen in the events; assess whether PI was exposed.", null));
        } else if (f.dataLeft()) {
            out.add(ob(PIPL_57_AUTHORITY, YES, "Personal information (" + codes(f.piCategories()) + ") of an estimated "
                    + f.affectedIndividuals() + " individuals may have leaked; PIPL Art. 57 requires immediate notice. Due within the tenant's CAC window ("
                    + operator + ", " + hours(operator) + ").", reportDue));
        } else {
            out.add(ob(PIPL_57_AUTHORITY, ASSESS, "Unauthorized access to personal information is suspected but no data was seen leaving; assess whether PI leaked (PIPL Art. 57: 'may have').", reportDue));
        }

        if (involvesPi) {
            out.add(ob(PIPL_57_INDIVIDUALS, ASSESS, "Notify the affected individuals unless the measures taken effectively avoid harm (PIPL Art. 57 exemption); whether they do is not known to Breachwatch.",
                    f.detectedAt().plus(policy.individualNoticeWithin())));
        } else {
            out.add(ob(PIPL_57_INDIVIDUALS, NO, "No personal information of identifiable individuals was seen.", null));
        }

        var cac = f.affectedIndividuals() >= policy.cacAffectedThreshold();
        out.add(cac
                ? ob(CAC_INCIDENT_REPORT, YES, "Estimated " + f.affectedIndividuals() + " affected individuals reach the 'relatively major' grade ("
                    + policy.cacAffectedThreshold() + "); report to the CAC within " + hours(operator) + " as " + operator + ".", reportDue)
                : ob(CAC_INCIDENT_REPORT, NO, "Estimated " + f.affectedIndividuals() + " affected individuals are below the 'relatively major' grade ("
                    + policy.cacAffectedThreshold() + ").", null));

        if (f.crossBorder()) {
            out.add(ob(PIPL_38_CROSS_BORDER, ASSESS, "Personal information went to a destination outside the allowed countries; verify a legal basis (CAC security assessment, certification or standard contract, PIPL Arts. 38-40).", null));
        }

        if (policy.processesEuResidents(f.tenantId())) {
            out.add(involvesPi
                    ? ob(GDPR_33, YES, "The tenant processes EU residents' data: notify the supervisory authority within 72 h unless the breach is unlikely to result in a risk (GDPR Art. 33).", f.detectedAt().plusSeconds(72 * 3600))
                    : ob(GDPR_33, ASSESS, "The tenant processes EU residents' data; assess whether personal data was involved (GDPR Art. 33).", f.detectedAt().plusSeconds(72 * 3600)));
        }

        return new Assessment(List.copyOf(out), severity(f, cac));
    }

    private Severity severity(Facts f, boolean cac) {
        var s = f.ruleSeverity();
        if (cac) {
            return Severity.CRITICAL;
        }
        if ((f.dataLeft() && f.sensitive()) || f.crossBorder() || f.affectedIndividuals() >= policy.highSeverityAffected()) {
            s = max(s, Severity.HIGH);
        }
        return s;
    }

    public static Severity max(Severity a, Severity b) {
        return a.ordinal() >= b.ordinal() ? a : b;
    }

    private static Obligation ob(String code, String applies, String reason, Instant dueAt) {
        return Obligation.newBuilder().setCode(code).setApplies(applies).setReason(reason).setDueAt(dueAt == null ? null : dueAt.toEpochMilli()).build();
    }

    private static String codes(Set<PiCategory> categories) {
        return categories.isEmpty() ? "unspecified" : String.join(", ", categories.stream().map(PiCategory::code).toList());
    }

    private static String hours(OperatorType operator) {
        return operator.reportWithin().toHours() + " h";
    }
}
