package io.breachwatch.http;

import io.breachwatch.metrics.OpenObligation;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

/**
 * The filter of {@code GET /api/obligations}: open obligations, earliest deadline first; every given criterion must
 * match. Parameters as for {@code /api/incidents}: an unknown one or a bad value is a 400 naming it.
 *
 * @param tenant     tenant_id, or null for any
 * @param rule       rule_id, or null for any
 * @param obligation obligation code (PIPL_57_AUTHORITY, ...), or null for any
 * @param limit      at most this many
 */
public record ObligationQuery(String tenant, String rule, String obligation, int limit) {
    static final Set<String> PARAMETERS = Set.of("tenant", "rule", "obligation", "limit");

    public static ObligationQuery parse(Map<String, String> params) {
        IncidentQuery.requireKnown(params, PARAMETERS);
        return new ObligationQuery(IncidentQuery.nonEmpty(params, "tenant"), IncidentQuery.nonEmpty(params, "rule"),
                IncidentQuery.nonEmpty(params, "obligation"), IncidentQuery.limit(IncidentQuery.nonEmpty(params, "limit")));
    }

    public List<OpenObligation> select(Stream<OpenObligation> open) {
        return open.filter(this::matches).sorted(OpenObligation.BY_DUE).limit(limit).toList();
    }

    boolean matches(OpenObligation o) {
        return (tenant == null || tenant.equals(o.tenantId()))
                && (rule == null || rule.equals(o.ruleId()))
                && (obligation == null || obligation.equals(o.obligation()));
    }
}
