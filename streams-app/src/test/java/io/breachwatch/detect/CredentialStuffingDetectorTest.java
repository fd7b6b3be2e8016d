package io.breachwatch.detect;

import io.breachwatch.topology.TopologyHarness;
import org.junit.jupiter.api.Test;

import java.util.stream.IntStream;

import static io.breachwatch.topology.TopologyHarness.loginFailed;
import static io.breachwatch.topology.TopologyHarness.minutes;
import static org.assertj.core.api.Assertions.assertThat;

/** credential-stuffing with its defaults: 10 min windows, threshold 10 distinct users per IP. */
class CredentialStuffingDetectorTest {

    @Test
    void firesAboveTenDistinctUsersFromOneIp() {
        try (var h = TopologyHarness.start()) {
            var incidents = h.send(IntStream.range(0, 11).mapToObj(i -> loginFailed("u-" + i, "203.0.113.9", minutes(i * 0.5))).toList()).incidents();

            assertThat(incidents).hasSize(1);
            var incident = incidents.get(0);
            assertThat(incident.getEntity()).isEqualTo("acme/203.0.113.9");
            assertThat(incident.getSourceIp()).isEqualTo("203.0.113.9");
            assertThat(incident.getUserId()).isNull();
            assertThat(incident.getDistinctCustomers()).isZero();
            assertThat(incident.getSummary())
                    .startsWith("Logins failed for 11 distinct users of tenant acme from one source IP address in 10 min (threshold 10)")
                    .doesNotContain("203.0.113.9");
        }
    }

    @Test
    void oneUserFailingRepeatedlyOrUsersSpreadOverIpsStaySilent() {
        try (var h = TopologyHarness.start()) {
            h.send(IntStream.range(0, 50).mapToObj(i -> loginFailed("u-1", "203.0.113.9", minutes(i * 0.1))).toList());
            h.send(IntStream.range(0, 20).mapToObj(i -> loginFailed("u-" + i, "203.0.113." + (i % 2), minutes(i * 0.1))).toList());

            assertThat(h.incidents()).isEmpty();
        }
    }
}
