package io.breachwatch.incident;

import io.breachwatch.detect.Rule;
import io.breachwatch.detect.Finding;
import io.breachwatch.schema.Incident;
import io.breachwatch.schema.IncidentStatus;
import io.breachwatch.schema.Severity;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.TreeSet;

/**
 * Builds incidents from findings. An incident reports its peak window (the window with the highest observed
 * value: observed, counts, window_start/end and severity all come from it, so "12,400 records in 1 h" is one
 * consistent statement) and spans the whole case (first_seen/last_seen, evidence, PI categories).
 */
final class Incidents {
    /** At this multiple of the threshold the severity rises one level. */
    static final double ESCALATION_FACTOR = 10;
    static final int MAX_EVIDENCE = io.breachwatch.detect.WindowAggregate.MAX_EVIDENCE;

    private Incidents() {
    }

    /** A new incident (revision 1) opened by {@code finding}. */
    static Incident open(Finding finding, long detectedAt) {
        var rule = finding.rule();
        var settings = rule.settings();
        var window = finding.window();
        var isUser = rule.entityKind() == Rule.EntityKind.USER;
        var attributes = new LinkedHashMap<String, String>();
        attributes.put("window", settings.window().toString());
        attributes.putAll(finding.attributes());
        attributes.put("first_window_start", Instant.ofEpochMilli(finding.windowStart()).toString());
        var incident = Incident.newBuilder()
                .setIncidentId(IncidentIds.of(finding.ruleId(), finding.entity(), finding.windowStart()))
                .setRevision(1)
                .setStatus(IncidentStatus.NEW)
                .setRuleId(finding.ruleId())
                .setType(rule.incidentType())
                .setSeverity(settings.severity())
                .setTenantId(window.tenantId())
                .setUserId(isUser ? window.userId() : null)
                .setSourceIp(isUser ? null : window.sourceIp())
                .setEntity(finding.entity())
                .setFirstSeen(Instant.ofEpochMilli(window.firstSeen()))
                .setLastSeen(Instant.ofEpochMilli(window.lastSeen()))
                .setWindowStart(Instant.ofEpochMilli(finding.windowStart()))
                .setWindowEnd(Instant.ofEpochMilli(finding.windowEnd()))
                .setDetectedAt(Instant.ofEpochMilli(detectedAt))
                .setEventCount(0)
                .setRecordCount(0)
                .setObserved(0)
                .setThreshold(settings.threshold())
                .setSummary("")
                .setEvidenceEventIds(capped(window.evidence()))
                .setPiCategories(new ArrayList<>(PiCategories.of(window.fields())))
                .setDestinationCountries(new ArrayList<>(new TreeSet<>(window.destinationCountries())))
                .setCrossBorder(finding.crossBorder())
                .setBaseline(finding.baseline())
                .setRelatedIncidentIds(new ArrayList<>(finding.related()))
                .setAttributes(new LinkedHashMap<>(attributes))
                .build();
        takePeak(incident, finding);
        return describe(incident, rule);
    }

    /** {@code open} extended by {@code finding}; revision and status unchanged (the caller decides whether to emit). */
    static Incident merge(Incident open, Finding finding, long detectedAt) {
        var window = finding.window();
        var merged = Incident.newBuilder(open).build();
        merged.setFirstSeen(min(open.getFirstSeen(), Instant.ofEpochMilli(window.firstSeen())));
        merged.setLastSeen(max(open.getLastSeen(), Instant.ofEpochMilli(window.lastSeen())));
        merged.setDetectedAt(Instant.ofEpochMilli(detectedAt));
        merged.setEvidenceEventIds(capped(union(open.getEvidenceEventIds(), window.evidence())));
        merged.setPiCategories(sortedUnion(open.getPiCategories(), PiCategories.of(window.fields())));
        merged.setDestinationCountries(sortedUnion(open.getDestinationCountries(), window.destinationCountries()));
        if (finding.observed() > open.getObserved()) {
            takePeak(merged, finding);
        }
        merged.setCrossBorder(open.getCrossBorder() || finding.crossBorder());
        merged.setRelatedIncidentIds(union(open.getRelatedIncidentIds(), finding.related()));
        merged.getAttributes().putAll(finding.attributes());
        return describe(merged, finding.rule());
    }

    /** Whether the finding's activity lies within {@code gap} of the open incident's activity. */
    static boolean continues(Incident open, Finding finding, Duration gap) {
        var window = finding.window();
        var gapMs = gap.toMillis();
        return window.firstSeen() <= open.getLastSeen().toEpochMilli() + gapMs
                && window.lastSeen() >= open.getFirstSeen().toEpochMilli() - gapMs;
    }

    /**
     * Whether {@code after} says more than the last emitted revision: a higher peak, more events, records or
     * customers, another severity, or activity that went on for at least one more {@code window} (so an ongoing
     * breach at a steady rate is re-emitted once per window, not once per event, and never goes stale).
     */
    static boolean grew(Incident before, Incident after, Duration window) {
        return after.getObserved() > before.getObserved()
                || after.getEventCount() > before.getEventCount()
                || after.getRecordCount() > before.getRecordCount()
                || after.getDistinctCustomers() > before.getDistinctCustomers()
                || after.getSeverity() != before.getSeverity()
                || after.getLastSeen().toEpochMilli() - before.getLastSeen().toEpochMilli() >= window.toMillis();
    }

    /** The next revision to emit. */
    static Incident revise(Incident merged, int previousRevision) {
        merged.setRevision(previousRevision + 1);
        merged.setStatus(IncidentStatus.UPDATED);
        return merged;
    }

    private static void takePeak(Incident incident, Finding finding) {
        var rule = finding.rule();
        var window = finding.window();
        incident.setObserved(finding.observed());
        incident.setEventCount(window.eventCount());
        incident.setRecordCount(window.recordCount());
        incident.setDistinctCustomers(rule.distinctAreCustomers() ? window.distinctCount() : 0);
        if (finding.baseline() != null) {
            incident.setBaseline(finding.baseline());
        }
        incident.setWindowStart(Instant.ofEpochMilli(finding.windowStart()));
        incident.setWindowEnd(Instant.ofEpochMilli(finding.windowEnd()));
        incident.setSeverity(severity(rule.settings().severity(), finding.observed(), rule.settings().threshold()));
        if (window.distinctSaturated()) {
            incident.getAttributes().put("distinct_count_is_lower_bound", "true");
        }
    }

    private static Incident describe(Incident incident, Rule rule) {
        incident.setSensitivePi(PiCategories.anySensitive(incident.getPiCategories()));
        incident.setAffectedIndividuals(rule.affectedIndividuals(incident));
        incident.setSummary(rule.summary(incident));
        return incident;
    }

    static Severity severity(Severity configured, double observed, double threshold) {
        if (observed < ESCALATION_FACTOR * threshold || configured == Severity.CRITICAL) {
            return configured;
        }
        return Severity.values()[configured.ordinal() + 1];
    }

    private static List<String> capped(List<String> ids) {
        return new ArrayList<>(ids.subList(0, Math.min(ids.size(), MAX_EVIDENCE)));
    }

    private static List<String> union(Collection<String> a, Collection<String> b) {
        var out = new LinkedHashSet<>(a);
        out.addAll(b);
        return new ArrayList<>(out);
    }

    private static List<String> sortedUnion(Collection<String> a, Collection<String> b) {
        var out = new TreeSet<>(a);
        out.addAll(b);
        return new ArrayList<>(out);
    }

    private static Instant min(Instant a, Instant b) {
        return a.isBefore(b) ? a : b;
    }

    private static Instant max(Instant a, Instant b) {
        return a.isAfter(b) ? a : b;
    }

    static boolean isStale(Incident incident, long streamTime, Duration retention) {
        return incident.getLastSeen().toEpochMilli() + retention.toMillis() <= streamTime;
    }
}
