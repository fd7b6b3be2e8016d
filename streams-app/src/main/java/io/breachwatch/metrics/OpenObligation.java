package io.breachwatch.metrics;

import io.breachwatch.incident.Obligations;
import io.breachwatch.schema.Incident;
import io.breachwatch.schema.IncidentStatus;
import io.breachwatch.schema.Severity;

import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Set;

/**
 * A notification duty still to be met: the obligation applies ({@code yes}) or must be assessed ({@code assess}),
 * it has a deadline, and its incident is neither RESOLVED nor SUPPRESSED. The deadline watch (the
 * {@code /api/obligations} view, the {@link MetricNames#OBLIGATIONS_OPEN} and {@link MetricNames#OBLIGATION_NEXT_DUE}
 * gauges and the alert rules on them) is made of these.
 */
public record OpenObligation(String incidentId, String ruleId, Severity severity, String tenantId, IncidentStatus status,
                             String obligation, String applies, Instant dueAt) {
    /** Applies values that leave a duty open: "no" closes it. */
    public static final Set<String> OPEN_APPLIES = Set.of(Obligations.YES, Obligations.ASSESS);
    private static final Set<IncidentStatus> CLOSED = Set.of(IncidentStatus.RESOLVED, IncidentStatus.SUPPRESSED);

    /** Earliest deadline first; ties by incident, then obligation. */
    public static final Comparator<OpenObligation> BY_DUE = Comparator.comparing(OpenObligation::dueAt)
            .thenComparing(OpenObligation::incidentId).thenComparing(OpenObligation::obligation);

    /** The open obligations of one incident (none when it is resolved or suppressed). */
    public static List<OpenObligation> of(Incident incident) {
        if (CLOSED.contains(incident.getStatus())) {
            return List.of();
        }
        return incident.getObligations().stream()
                .filter(o -> o.getDueAt() != null && OPEN_APPLIES.contains(o.getApplies()))
                .map(o -> new OpenObligation(incident.getIncidentId(), incident.getRuleId(), incident.getSeverity(),
                        incident.getTenantId(), incident.getStatus(), o.getCode(), o.getApplies(), Instant.ofEpochMilli(o.getDueAt())))
                .toList();
    }

    /** Seconds from {@code now} to the deadline; negative once overdue. */
    public long secondsUntilDue(Instant now) {
        return Duration.between(now, dueAt).toSeconds();
    }
}
