package io.breachwatch.http;

import io.breachwatch.schema.Baseline;
import io.breachwatch.schema.Incident;
import io.breachwatch.schema.Obligation;
import io.breachwatch.schema.Severity;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/** Test incidents with every required field set. */
final class Incidents {
    private Incidents() {
    }

    static Incident incident(String id, String rule, Severity severity, String tenant, Instant detectedAt) {
        return Incident.newBuilder()
                .setIncidentId(id)
                .setRevision(1)
                .setRuleId(rule)
                .setType("bulk_export")
                .setSeverity(severity)
                .setTenantId(tenant)
                .setUserId("u-1")
                .setSourceIp(null)
                .setEntity(tenant + "/u-1")
                .setFirstSeen(detectedAt.minusSeconds(600))
                .setLastSeen(detectedAt.minusSeconds(5))
                .setWindowStart(detectedAt.minusSeconds(900))
                .setWindowEnd(detectedAt.plusSeconds(2700))
                .setDetectedAt(detectedAt)
                .setEventCount(3)
                .setRecordCount(12_000)
                .setObserved(12_000)
                .setThreshold(5_000)
                .setBaseline(new Baseline(40.0, 12.5, 30, "own"))
                .setSummary("User u-1 exported 12000 records in 15 minutes (threshold 5000).")
                .setEvidenceEventIds(List.of("e-1", "e-2"))
                .setObligations(List.of(new Obligation("PIPL_57_AUTHORITY", "assess", "PI of 12000 people", null)))
                .setAttributes(Map.of("window", "PT15M"))
                .build();
    }
}
