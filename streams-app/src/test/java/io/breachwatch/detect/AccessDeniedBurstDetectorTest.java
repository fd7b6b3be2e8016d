package io.breachwatch.detect;

import io.breachwatch.schema.Severity;
import io.breachwatch.topology.TopologyHarness;
import org.junit.jupiter.api.Test;

import java.util.stream.IntStream;

import static io.breachwatch.topology.TopologyHarness.denied;
import static io.breachwatch.topology.TopologyHarness.event;
import static io.breachwatch.topology.TopologyHarness.minutes;
import static org.assertj.core.api.Assertions.assertThat;

/** access-denied-burst with its defaults: 10 min windows, threshold 20 denials. */
class AccessDeniedBurstDetectorTest {

    @Test
    void firesAboveTwentyDenialsInTenMinutes() {
        try (var h = TopologyHarness.start()) {
            var incidents = h.send(IntStream.range(0, 21).mapToObj(i -> denied("u-3", minutes(i * 0.4))).toList()).incidents();

            assertThat(incidents).hasSize(1);
            var incident = incidents.get(0);
            assertThat(incident.getType()).isEqualTo("unauthorized_access");
            assertThat(incident.getSeverity()).isEqualTo(Severity.MEDIUM);
            assertThat(incident.getAffectedIndividuals()).isZero();
            assertThat(incident.getSummary()).startsWith("User u-3 of tenant acme was denied access 21 times in 10 min (threshold 20)");
        }
    }

    @Test
    void successfulAccessesDoNotCount() {
        try (var h = TopologyHarness.start()) {
            h.send(IntStream.range(0, 100).mapToObj(i -> event("u-3", minutes(i * 0.05)).build()).toList());

            assertThat(h.incidents()).isEmpty();
        }
    }
}
