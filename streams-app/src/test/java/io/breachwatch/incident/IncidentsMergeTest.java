package io.breachwatch.incident;

import io.breachwatch.config.Settings;
import io.breachwatch.detect.BulkExportDetector;
import io.breachwatch.detect.Finding;
import io.breachwatch.detect.WindowAggregate;
import io.breachwatch.schema.AccessEvent;
import io.breachwatch.schema.Incident;
import io.breachwatch.topology.TopologyHarness;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import static io.breachwatch.topology.TopologyHarness.export;
import static io.breachwatch.topology.TopologyHarness.minutes;
import static org.assertj.core.api.Assertions.assertThat;

/** The incident stage skips findings that add nothing; for those, a merge would only have moved detected_at. */
class IncidentsMergeTest {
    private static final long DETECTED = Instant.parse("2025-03-03T12:00:00Z").toEpochMilli();
    private static final long LATER = DETECTED + 60_000;

    private final BulkExportDetector rule = new BulkExportDetector(BulkExportDetector.KEYS.read(Settings.of(Map.of())));
    private final Incidents incidents = new Incidents(PiCatalog.defaults(), new Obligations(ObligationPolicy.defaults()), Pseudonymizer.disabled());

    @Test
    void anotherWindowOfTheSameActivityAddsNothingAndMergingItWouldOnlyMoveDetectedAt() {
        var burst = List.of(export("u-1", minutes(1), 60_000), export("u-1", minutes(2), 60_000));
        var open = incidents.open(finding(window(burst), 0), DETECTED);
        var sameActivity = finding(window(burst), 300_000); // a later hopping window holding the same events

        assertThat(incidents.addsNothing(open, sameActivity)).isTrue();
        assertThat(withoutDetectedAt(incidents.merge(open, sameActivity, LATER))).isEqualTo(withoutDetectedAt(open));
    }

    @Test
    void aFindingWithANewEventPeakTimeOrCategoryAddsSomething() {
        var burst = List.of(export("u-1", minutes(1), 60_000), export("u-1", minutes(2), 60_000));
        var open = incidents.open(finding(window(burst), 0), DETECTED);

        var more = List.of(burst.get(0), burst.get(1), export("u-1", minutes(3), 1));
        assertThat(incidents.addsNothing(open, finding(window(more), 0))).as("new evidence, later last_seen, new peak").isFalse();
        var earlier = List.of(export("u-1", minutes(0.5), 1));
        assertThat(incidents.addsNothing(open, finding(window(earlier), 0))).as("activity before first_seen").isFalse();
        var sensitive = List.of(TopologyHarness.event("u-1", minutes(1)).setAction(io.breachwatch.schema.Action.EXPORT)
                .setRecordCount(10).setFields(List.of("id_card_number")).setEventId(burst.get(0).getEventId()).build());
        assertThat(incidents.addsNothing(open, finding(window(sensitive), 0))).as("a PI category the case lacks").isFalse();
    }

    private Finding finding(WindowAggregate window, long start) {
        return new Finding(rule, "acme/u-1", start, start + 3_600_000, rule.observed(window), window);
    }

    private static WindowAggregate window(List<AccessEvent> events) {
        var window = new WindowAggregate();
        events.forEach(e -> window.add(e, null));
        return window;
    }

    private static Incident withoutDetectedAt(Incident incident) {
        var copy = Incident.newBuilder(incident).build();
        copy.setDetectedAt(Instant.EPOCH);
        return copy;
    }
}
