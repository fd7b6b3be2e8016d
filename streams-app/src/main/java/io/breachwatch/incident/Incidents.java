package io.breachwatch.incident;

import io.breachwatch.detect.IncidentRule;
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
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
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
    /** Attribute: stream time when the incident was first detected; obligation deadlines count from it. */
    static final String FIRST_DETECTED_AT = "first_detected_at";

    private final PiCatalog pi;
    private final Obligations obligations;
    private final Pseudonymizer pseudonymizer;

    Incidents(PiCatalog pi, Obligations obligations, Pseudonymizer pseudonymizer) {
        this.pi = pi;
        this.obligations = obligations;
        this.pseudonymizer = pseudonymizer;
    }

    /** A new incident (revision 1) opened by {@code finding}. */
    Incident open(Finding finding, long detectedAt) {
        var rule = finding.rule();
        var settings = rule.settings();
        var window = finding.window();
        var isUser = rule.entityKind() == IncidentRule.EntityKind.USER;
        var attributes = new LinkedHashMap<String, String>();
        attributes.put("window", settings.window().toString());
        attributes.putAll(finding.attributes());
        attributes.put("first_window_start", Instant.ofEpochMilli(finding.windowStart()).toString());
        attributes.put(FIRST_DETECTED_AT, Instant.ofEpochMilli(detectedAt).toString());
        // pseudonymized: an unkeyed hash of a raw user id could be confirmed against a list of candidate ids
        var incident = Incident.newBuilder()
                .setIncidentId(IncidentIds.of(finding.ruleId(), pseudonymizer.entity(finding.entity()), finding.windowStart()))
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
                .setPiCategories(codes(pi.categoriesOf(window.fields())))
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
    Incident merge(Incident open, Finding finding, long detectedAt) {
        var window = finding.window();
        var merged = Incident.newBuilder(open).build();
        merged.setFirstSeen(min(open.getFirstSeen(), Instant.ofEpochMilli(window.firstSeen())));
        merged.setLastSeen(max(open.getLastSeen(), Instant.ofEpochMilli(window.lastSeen())));
        merged.setDetectedAt(Instant.ofEpochMilli(detectedAt));
        merged.setEvidenceEventIds(capped(union(open.getEvidenceEventIds(), window.evidence())));
        merged.setPiCategories(codes(union(categories(open), pi.categoriesOf(window.fields()))));
        merged.setDestinationCountries(sortedUnion(open.getDestinationCountries(), window.destinationCountries()));
        if (finding.observed() > open.getObserved()) {
            takePeak(merged, finding);
        }
        merged.setCrossBorder(open.getCrossBorder() || finding.crossBorder());
        merged.setRelatedIncidentIds(union(open.getRelatedIncidentIds(), finding.related()));
        merged.getAttributes().putAll(finding.attributes());
        return describe(merged, finding.rule());
    }

    /**
     * Whether {@link #merge} of {@code finding} into {@code open} would change nothing but {@code detected_at}: no
     * new peak, activity inside the case's span, and no evidence, PI category, destination, related incident or
     * attribute the case lacks. The usual finding of an ongoing case: every hopping window holding an event reports
     * the same activity again, and only the window with the new peak (if any) says more. {@code detected_at} of a
     * case that is not emitted is never read: every emitted revision sets its own.
     */
    boolean addsNothing(Incident open, Finding finding) {
        var window = finding.window();
        var evidence = open.getEvidenceEventIds();
        return finding.observed() <= open.getObserved()
                && window.firstSeen() >= open.getFirstSeen().toEpochMilli()
                && window.lastSeen() <= open.getLastSeen().toEpochMilli()
                && (open.getCrossBorder() || !finding.crossBorder())
                && (evidence.size() >= MAX_EVIDENCE || evidence.containsAll(window.evidence()))
                && categories(open).containsAll(pi.categoriesOf(window.fields()))
                && open.getDestinationCountries().containsAll(window.destinationCountries())
                && open.getRelatedIncidentIds().containsAll(finding.related())
                && open.getAttributes().entrySet().containsAll(finding.attributes().entrySet());
    }

    /** Whether the finding's activity lies within {@code gap} of the open incident's activity. */
    static boolean continues(Incident open, Finding finding, Duration gap) {
        var window = finding.window();
        var gapMs = gap.toMillis();
        return window.firstSeen() <= open.getLastSeen().toEpochMilli() + gapMs
                && window.lastSeen() >= open.getFirstSeen().toEpochMilli() - gapMs;
    }

    /** A revision is emitted at once when a count grew by at least this factor since the last emitted revision. */
    static final double MATERIAL_GROWTH = 1.25;

    /**
     * Whether {@code after} says materially more than the last emitted revision, so it is emitted at once:
     * another severity, another set of applicable obligations, a peak or count at least
     * {@link #MATERIAL_GROWTH} times the emitted one, or activity that went on for at least one more
     * {@code window}. Smaller changes wait for the next update tick ({@link #changed}), so an incident is not
     * re-emitted once per event (a scraper reading one more customer) and is never left stale.
     */
    static boolean grewMaterially(Incident before, Incident after, Duration window) {
        return after.getSeverity() != before.getSeverity()
                || !applicable(after).equals(applicable(before))
                || material(before.getObserved(), after.getObserved())
                || material(before.getEventCount(), after.getEventCount())
                || material(before.getRecordCount(), after.getRecordCount())
                || material(before.getDistinctCustomers(), after.getDistinctCustomers())
                || after.getLastSeen().toEpochMilli() - before.getLastSeen().toEpochMilli() >= window.toMillis();
    }

    /** Whether {@code after} differs from the emitted revision in anything a reader would see change. */
    static boolean changed(Incident before, Incident after) {
        return after.getObserved() != before.getObserved()
                || after.getEventCount() != before.getEventCount()
                || after.getRecordCount() != before.getRecordCount()
                || after.getDistinctCustomers() != before.getDistinctCustomers()
                || after.getSeverity() != before.getSeverity()
                || !after.getLastSeen().equals(before.getLastSeen())
                || !after.getFirstSeen().equals(before.getFirstSeen());
    }

    private static boolean material(double before, double after) {
        return after > before && after >= before * MATERIAL_GROWTH;
    }

    private static List<String> applicable(Incident incident) {
        return incident.getObligations().stream().map(o -> o.getCode() + "=" + o.getApplies()).toList();
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

    /**
     * Fills what follows from the facts: sensitive PI, affected individuals, the legal obligations with their
     * deadlines (counted from the first detection, so revisions never move a deadline later), the severity floor
     * the obligations imply, and the summary.
     */
    private Incident describe(Incident incident, IncidentRule rule) {
        var categories = categories(incident);
        incident.setSensitivePi(categories.stream().anyMatch(PiCategory::sensitive));
        incident.setAffectedIndividuals(rule.affectedIndividuals(incident));
        var firstDetected = Instant.parse(incident.getAttributes().getOrDefault(FIRST_DETECTED_AT, incident.getDetectedAt().toString()));
        var assessment = obligations.assess(new Obligations.Facts(incident.getTenantId(), rule.dataLeft(), categories,
                incident.getAffectedIndividuals(), incident.getCrossBorder(), firstDetected, incident.getSeverity()));
        incident.setObligations(new ArrayList<>(assessment.obligations()));
        incident.setSeverity(assessment.severity());
        incident.setSummary(rule.summary(incident));
        return incident;
    }

    static Severity severity(Severity configured, double observed, double threshold) {
        // a zero threshold ("any record fires") has no multiple to escalate at
        if (threshold <= 0 || observed < ESCALATION_FACTOR * threshold || configured == Severity.CRITICAL) {
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

    private static Set<PiCategory> categories(Incident incident) {
        var out = EnumSet.noneOf(PiCategory.class);
        incident.getPiCategories().forEach(code -> out.add(PiCategory.fromCode(code)));
        return out;
    }

    private static Set<PiCategory> union(Set<PiCategory> a, Set<PiCategory> b) {
        var out = EnumSet.noneOf(PiCategory.class);
        out.addAll(a);
        out.addAll(b);
        return out;
    }

    /** Category codes in declaration order (from ordinary to the most sensitive), as the incident carries them. */
    private static List<String> codes(Set<PiCategory> categories) {
        return new ArrayList<>(categories.stream().map(PiCategory::code).toList());
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

    static boolean isResolved(Incident incident) {
        return incident.getStatus() == IncidentStatus.RESOLVED;
    }

    /** An open (NEW or UPDATED) incident without activity for {@code resolveAfter} at stream time {@code now}. */
    static boolean isQuiet(Incident incident, long now, Duration resolveAfter) {
        var open = incident.getStatus() == IncidentStatus.NEW || incident.getStatus() == IncidentStatus.UPDATED;
        return open && incident.getLastSeen().toEpochMilli() + resolveAfter.toMillis() <= now;
    }

    /** The last revision of a quiet case: the case as it stands (with any change not yet emitted), status RESOLVED. */
    static Incident resolve(Incident open, long now, Duration resolveAfter) {
        var resolved = Incident.newBuilder(open).build();
        resolved.setRevision(open.getRevision() + 1);
        resolved.setStatus(IncidentStatus.RESOLVED);
        resolved.setDetectedAt(Instant.ofEpochMilli(now));
        resolved.getAttributes().put("resolved_after", resolveAfter.toString());
        return resolved;
    }

    static boolean isStale(Incident incident, long streamTime, Duration retention) {
        return incident.getLastSeen().toEpochMilli() + retention.toMillis() <= streamTime;
    }
}
