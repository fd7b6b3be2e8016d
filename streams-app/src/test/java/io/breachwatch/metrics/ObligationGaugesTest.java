package io.breachwatch.metrics;

import io.breachwatch.schema.Incident;
import io.breachwatch.schema.IncidentStatus;
import io.breachwatch.schema.Obligation;
import io.breachwatch.schema.Severity;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;

import static org.assertj.core.api.Assertions.assertThat;

class ObligationGaugesTest {
    private static final Instant NOW = Instant.parse("2025-11-03T02:00:00Z");
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final AtomicReference<Instant> now = new AtomicReference<>(NOW);
    private final Clock clock = new Clock() {
        @Override
        public java.time.ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now.get();
        }
    };
    private final List<Incident> store = new ArrayList<>();
    private final Consumer<Consumer<Incident>> scan = store::forEach;

    private static Incident incident(String id, IncidentStatus status, Obligation... obligations) {
        return Incident.newBuilder()
                .setIncidentId(id).setRevision(1).setStatus(status).setRuleId("bulk-export").setType("bulk_export")
                .setSeverity(Severity.HIGH).setTenantId("acme").setUserId("u-1").setEntity("acme/u-1")
                .setFirstSeen(NOW).setLastSeen(NOW).setWindowStart(NOW).setWindowEnd(NOW).setDetectedAt(NOW)
                .setEventCount(1).setRecordCount(1).setObserved(1).setThreshold(0).setSummary("s")
                .setObligations(List.of(obligations)).setAttributes(Map.of()).build();
    }

    private static Obligation due(String code, String applies, long secondsFromNow) {
        return new Obligation(code, applies, "r", NOW.plusSeconds(secondsFromNow).toEpochMilli());
    }

    private double open(String code, String applies) {
        return registry.get(MetricNames.OBLIGATIONS_OPEN).tags("obligation", code, "applies", applies).gauge().value();
    }

    private double nextDue(String code, String applies) {
        return registry.get(MetricNames.OBLIGATION_NEXT_DUE).tags("obligation", code, "applies", applies).gauge().value();
    }

    @Test
    void countsOpenObligationsAndTheTimeToTheEarliestDeadline() {
        store.add(incident("a", IncidentStatus.NEW, due("CAC_INCIDENT_REPORT", "yes", 1_200), due("PIPL_57_INDIVIDUALS", "assess", 72 * 3_600)));
        store.add(incident("b", IncidentStatus.UPDATED, due("CAC_INCIDENT_REPORT", "yes", 3_600), due("GDPR_33", "no", 60)));
        store.add(incident("c", IncidentStatus.RESOLVED, due("CAC_INCIDENT_REPORT", "yes", 10)));
        store.add(incident("d", IncidentStatus.SUPPRESSED, due("CAC_INCIDENT_REPORT", "yes", 10)));
        var gauges = new ObligationGauges(registry, clock);

        gauges.refresh(scan);

        assertThat(open("CAC_INCIDENT_REPORT", "yes")).isEqualTo(2);
        assertThat(nextDue("CAC_INCIDENT_REPORT", "yes")).isEqualTo(1_200);
        assertThat(open("PIPL_57_INDIVIDUALS", "assess")).isEqualTo(1);
        assertThat(open("PIPL_57_AUTHORITY", "yes")).as("registered up front, nothing open").isZero();
        assertThat(nextDue("PIPL_57_AUTHORITY", "yes")).isNaN();
        assertThat(registry.find(MetricNames.OBLIGATIONS_OPEN).tags("applies", "no").gauges()).isEmpty();

        now.set(NOW.plusSeconds(1_500));
        assertThat(nextDue("CAC_INCIDENT_REPORT", "yes")).as("moves with the clock between scans; negative when overdue").isEqualTo(-300);
    }

    @Test
    void forgetsObligationsThatClosedAndRegistersNewCodes() {
        store.add(incident("a", IncidentStatus.NEW, due("CAC_INCIDENT_REPORT", "yes", 600), due("CUSTOM_DUTY", "yes", 900)));
        var gauges = new ObligationGauges(registry, clock);
        gauges.refresh(scan);
        assertThat(open("CUSTOM_DUTY", "yes")).isEqualTo(1);

        store.set(0, incident("a", IncidentStatus.RESOLVED, due("CAC_INCIDENT_REPORT", "yes", 600)));
        gauges.refresh(scan);

        assertThat(open("CAC_INCIDENT_REPORT", "yes")).isZero();
        assertThat(nextDue("CAC_INCIDENT_REPORT", "yes")).isNaN();
        assertThat(open("CUSTOM_DUTY", "yes")).isZero();
    }

    @Test
    void aFailedScanKeepsTheLastValues() {
        store.add(incident("a", IncidentStatus.NEW, due("CAC_INCIDENT_REPORT", "yes", 600)));
        var gauges = new ObligationGauges(registry, clock);
        gauges.refresh(scan);

        try {
            gauges.refresh(action -> {
                throw new IllegalStateException("store not queryable");
            });
        } catch (IllegalStateException expected) {
            // start() logs and retries on the next tick
        }

        assertThat(open("CAC_INCIDENT_REPORT", "yes")).isEqualTo(1);
    }
}
