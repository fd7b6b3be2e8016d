package io.breachwatch.incident;

import io.breachwatch.config.Field;
import io.breachwatch.config.Settings;
import io.breachwatch.detect.Finding;
import io.breachwatch.detect.IncidentRule;
import io.breachwatch.detect.RuleSettings;
import io.breachwatch.schema.Incident;
import io.breachwatch.schema.Severity;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * exfiltration-chain: an access-abuse incident (denied burst, sensitive-data access, session hijack, impossible
 * travel, dormant account) followed within {@code within} by an export incident (bulk export, export baseline,
 * cross-border transfer) for the same user: one CRITICAL incident that references both.
 *
 * <p>It correlates incidents, not events, so it lives in the incident stage: every rule it reads is keyed by
 * tenant/user through the same repartition, so a user's incidents of every rule meet in one task.
 */
public record ExfiltrationChain(Config config) implements IncidentRule {
    public static final String RULE = "exfiltration-chain";

    public record Config(boolean enabled, Duration within, Severity severity, Set<String> abuseRules, Set<String> exportRules) {
        private static final String P = "detect." + RULE + ".";
        public static final Field<Boolean> ENABLED = Field.bool(P + "enabled", true, "Whether the exfiltration-chain correlation runs");
        public static final Field<Duration> WITHIN = Field.duration(P + "within", "24h",
                "exfiltration-chain: an export incident this soon after an access-abuse incident of the same user makes a chain");
        public static final Field<Severity> SEVERITY = Field.enumOf(P + "severity", Severity.class, Severity.CRITICAL,
                "exfiltration-chain: severity of its incidents");
        public static final Field<Set<String>> ABUSE_RULES = Field.list(P + "abuse-rules",
                "access-denied-burst,sensitive-data-access,session-hijack,impossible-travel,dormant-account",
                "exfiltration-chain: rules whose incidents count as the access-abuse part");
        public static final Field<Set<String>> EXPORT_RULES = Field.list(P + "export-rules",
                "bulk-export,export-baseline,cross-border-transfer",
                "exfiltration-chain: rules whose incidents count as the export part");

        public static List<Field<?>> fields() {
            return List.of(ENABLED, WITHIN, SEVERITY, ABUSE_RULES, EXPORT_RULES);
        }

        public static Config from(Settings s) {
            return new Config(s.get(ENABLED), s.get(WITHIN), s.get(SEVERITY), s.get(ABUSE_RULES), s.get(EXPORT_RULES));
        }
    }

    /** A user's latest access-abuse incident, as the chain remembers it. */
    record Abuse(String incidentId, String ruleId, long firstSeen, long lastSeen) {
        String encode() {
            return incidentId + "|" + ruleId + "|" + firstSeen + "|" + lastSeen;
        }

        static Abuse decode(String text) {
            var p = text.split("\\|", 4);
            return new Abuse(p[0], p[1], Long.parseLong(p[2]), Long.parseLong(p[3]));
        }
    }

    boolean isAbuse(String ruleId) {
        return config.enabled() && config.abuseRules().contains(ruleId);
    }

    boolean isExport(String ruleId) {
        return config.enabled() && config.exportRules().contains(ruleId);
    }

    /**
     * The chain finding when {@code export} (an export incident) starts within {@code within} after
     * {@code abuse} ended (or overlaps it); null otherwise.
     */
    Finding chain(Abuse abuse, Incident export, Finding exportFinding) {
        var exportStart = export.getFirstSeen().toEpochMilli();
        var gap = exportStart - abuse.lastSeen();
        if (export.getLastSeen().toEpochMilli() < abuse.firstSeen() || gap > config.within().toMillis()) {
            return null;
        }
        var hours = Math.max(0, gap) / 3_600_000.0;
        return new Finding(this, export.getEntity(), exportFinding.windowStart(), exportFinding.windowEnd(), hours,
                exportFinding.window(), null, export.getCrossBorder(), List.of(abuse.incidentId(), export.getIncidentId()),
                Map.of("abuse_rule", abuse.ruleId(), "abuse_incident_id", abuse.incidentId(),
                        "export_rule", export.getRuleId(), "export_incident_id", export.getIncidentId(),
                        "export_records", Long.toString(export.getRecordCount())));
    }

    @Override
    public RuleSettings settings() {
        return new RuleSettings(RULE, config.severity(), config.within().toMillis() / 3_600_000.0, config.within(), config.within());
    }

    @Override
    public String incidentType() {
        return "exfiltration";
    }


    @Override
    public boolean dataLeft() {
        return true;
    }

    @Override
    public long affectedIndividuals(Incident incident) {
        return Math.max(incident.getDistinctCustomers(), incident.getRecordCount());
    }

    @Override
    public String summary(Incident incident) {
        var a = incident.getAttributes();
        return "User " + incident.getUserId() + " of tenant " + incident.getTenantId() + " triggered " + a.get("abuse_rule")
                + " (incident " + a.get("abuse_incident_id") + ") and then " + a.get("export_rule") + " (incident "
                + a.get("export_incident_id") + ", " + a.get("export_records") + " records) "
                + String.format(java.util.Locale.ROOT, "%.1f", incident.getObserved()) + " h later: a likely exfiltration, first seen "
                + Instant.ofEpochMilli(incident.getFirstSeen().toEpochMilli()) + ".";
    }
}
