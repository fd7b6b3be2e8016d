package io.breachwatch.detect;

import io.breachwatch.metrics.MetricNames;
import io.breachwatch.schema.AccessEvent;
import io.breachwatch.schema.Incident;
import io.breachwatch.schema.Severity;
import io.breachwatch.topology.TopologyHarness;
import org.apache.kafka.streams.state.KeyValueStore;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import static io.breachwatch.topology.TopologyHarness.event;
import static io.breachwatch.topology.TopologyHarness.minutes;
import static org.assertj.core.api.Assertions.assertThat;

/** session-hijack with its defaults: idle timeout 30 min, IPv4 /16, IPv6 /48. */
class SessionHijackRuleTest {

    static AccessEvent from(String user, String session, Instant ts, String ip, String country) {
        return event(user, ts).setSessionId(session).setSourceIp(ip).setCountry(country).build();
    }

    /** The session as the store holds it in the user's entry, or null. */
    private static SessionHijackRule.SessionState session(TopologyHarness h, String user, String session) {
        KeyValueStore<String, UserActivity> store = h.driver.getKeyValueStore(UserActivityDetection.STORE);
        var entry = store.get(user);
        return entry == null ? null : entry.session(session);
    }

    private static List<Incident> of(List<Incident> incidents) {
        return incidents.stream().filter(i -> i.getRuleId().equals(SessionHijackRule.RULE)).toList();
    }

    @Test
    void firesForOneSessionUsedFromTwoCountries() {
        try (var h = TopologyHarness.start()) {
            var home = from("u-1", "s-9", minutes(0), "58.33.10.7", "CN");
            var away = from("u-1", "s-9", minutes(5), "203.0.113.5", "US");
            var incidents = of(h.send(home, away).incidents());

            assertThat(incidents).hasSize(1);
            var incident = incidents.get(0);
            assertThat(incident.getType()).isEqualTo("account_takeover");
            assertThat(incident.getSeverity()).isEqualTo(Severity.HIGH);
            assertThat(incident.getUserId()).isEqualTo("u-1");
            assertThat(incident.getSourceIp()).isNull();
            assertThat(incident.getObserved()).isEqualTo(2.0);
            assertThat(incident.getThreshold()).isEqualTo(1.0);
            assertThat(incident.getFirstSeen()).isEqualTo(minutes(0));
            assertThat(incident.getLastSeen()).isEqualTo(minutes(5));
            assertThat(incident.getEvidenceEventIds()).containsExactly(home.getEventId(), away.getEventId());
            assertThat(incident.getAttributes()).containsEntry("countries", "CN,US").containsEntry("distinct_countries", "2")
                    .containsEntry("distinct_networks", "2").containsEntry("change_event_ids", away.getEventId());
            assertThat(incident.getSummary()).isEqualTo("User u-1 of tenant acme used one session from 2 countries (CN, US)"
                    + " and 2 networks between 10:00 and 10:05 UTC (threshold: more than 1 of either).");
            assertThat(incident.getSummary() + incident.getAttributes()).as("no IPs, no session id")
                    .doesNotContain("58.33", "203.0", "s-9");
        }
    }

    @Test
    void firesForTwoNetworksInOneCountry() {
        try (var h = TopologyHarness.start()) {
            var incidents = of(h.send(from("u-1", "s-1", minutes(0), "10.1.0.1", "CN"),
                    from("u-1", "s-1", minutes(1), "10.2.0.1", "CN")).incidents());

            assertThat(incidents).hasSize(1);
            assertThat(incidents.get(0).getSummary()).contains("from 1 country (CN) and 2 networks");
        }
    }

    @Test
    void staysSilentWithinOneNetworkAcrossSessionsAndForDualStackClients() {
        try (var h = TopologyHarness.start()) {
            h.send(from("u-1", "s-1", minutes(0), "10.1.0.1", "CN"), from("u-1", "s-1", minutes(1), "10.1.255.7", "CN"));
            h.send(from("u-2", "s-2", minutes(0), "58.33.10.7", "CN"), from("u-2", "s-3", minutes(1), "203.0.113.5", "US"));
            h.send(from("u-3", "s-4", minutes(0), "58.33.10.7", "CN"), from("u-3", "s-4", minutes(1), "2001:db8:1::7", "CN"));
            h.send(from("u-4", "s-5", minutes(0), "10.1.0.1", null), from("u-4", "s-5", minutes(1), null, "CN"));

            assertThat(of(h.incidents())).isEmpty();
        }
    }

    @Test
    void comparesIpv6NetworksByTheir48BitPrefix() {
        try (var h = TopologyHarness.start()) {
            h.send(from("u-1", "s-1", minutes(0), "2001:db8:1::1", "CN"), from("u-1", "s-1", minutes(1), "2001:db8:1:ffff::1", "CN"));
            assertThat(of(h.incidents())).as("same /48").isEmpty();

            assertThat(of(h.send(from("u-1", "s-1", minutes(2), "2001:db8:2::1", "CN")).incidents())).as("another /48").hasSize(1);
        }
    }

    @Test
    void prefixLengthsAreConfigurable() {
        try (var h = TopologyHarness.start(Map.of("detect.session-hijack.ipv4-prefix", "8"))) {
            h.send(from("u-1", "s-1", minutes(0), "10.1.0.1", "CN"), from("u-1", "s-1", minutes(1), "10.2.0.1", "CN"));
            assertThat(of(h.incidents())).isEmpty();
        }
        try (var h = TopologyHarness.start(Map.of("detect.session-hijack.ipv4-prefix", "0"))) {
            h.send(from("u-1", "s-1", minutes(0), "10.1.0.1", "CN"), from("u-1", "s-1", minutes(1), "172.16.0.1", "CN"));
            assertThat(of(h.incidents())).as("0: countries only").isEmpty();
        }
    }

    @Test
    void aSessionEndsAfterThirtyMinutesIdle() {
        try (var h = TopologyHarness.start()) {
            h.send(from("u-1", "s-1", minutes(0), "58.33.10.7", "CN"), from("u-1", "s-1", minutes(30), "203.0.113.5", "US"));
            assertThat(of(h.incidents())).as("exactly the idle timeout later: a new session").isEmpty();
        }
        try (var h = TopologyHarness.start()) {
            h.send(from("u-1", "s-1", minutes(0), "58.33.10.7", "CN"), from("u-1", "s-1", minutes(30).minusMillis(1), "203.0.113.5", "US"));
            assertThat(of(h.incidents())).as("1 ms before").hasSize(1);
        }
    }

    @Test
    void acceptsOutOfOrderEventsOfALiveSessionAndCountsLateOnes() {
        try (var h = TopologyHarness.start()) {
            h.send(from("u-1", "s-1", minutes(10), "203.0.113.5", "US"), from("u-1", "s-1", minutes(2), "58.33.10.7", "CN"));
            var incidents = of(h.incidents());
            assertThat(incidents).hasSize(1);
            assertThat(incidents.get(0).getFirstSeen()).isEqualTo(minutes(2));

            h.send(from("u-2", "s-2", minutes(60), "58.33.10.7", "CN"), from("u-2", "s-2", minutes(30), "203.0.113.5", "US"));
            assertThat(of(h.incidents())).as("its session would already have timed out").isEmpty();
            assertThat(h.counter(MetricNames.EVENTS_LATE, "rule", SessionHijackRule.RULE)).isEqualTo(1);
        }
    }

    @Test
    void oneIncidentForAnOngoingHijack() {
        try (var h = TopologyHarness.start()) {
            for (int i = 0; i < 40; i++) {
                h.send(i % 2 == 0 ? from("u-1", "s-1", minutes(i), "58.33.10.7", "CN") : from("u-1", "s-1", minutes(i), "203.0.113.5", "US"));
            }
            h.send(from("u-1", "s-1", minutes(40), "81.2.69.160", "GB"));
            var incidents = of(h.incidents());

            assertThat(incidents).extracting(Incident::getIncidentId).containsOnly(incidents.get(0).getIncidentId());
            assertThat(incidents).extracting(Incident::getRevision).isSorted().doesNotHaveDuplicates()
                    .as("41 events: revisions at most once per incident.update-interval (5 min), plus the third country")
                    .hasSizeLessThanOrEqualTo(40 / 5 + 2);
            var last = incidents.get(incidents.size() - 1);
            assertThat(last.getObserved()).isEqualTo(3.0);
            assertThat(last.getAttributes()).containsEntry("countries", "CN,GB,US");
        }
    }

    @Test
    void storesTheSessionInTheUsersEntryAndPurgesItAfterTheIdleTimeout() {
        try (var h = TopologyHarness.start()) {
            var home = from("u-1", "s-1", minutes(0), "58.33.10.7", "CN");
            var away = from("u-1", "s-1", minutes(3), "203.0.113.5", "US");
            h.send(home, away);

            var state = session(h, "acme/u-1", "s-1");
            assertThat(state.countries()).containsExactly("CN", "US");
            assertThat(state.distinctNetworks()).isEqualTo(2);
            assertThat(state.changeEvents()).containsExactly(away.getEventId());
            assertThat(state.firstSeen()).isEqualTo(minutes(0).toEpochMilli());
            assertThat(state.lastSeen()).isEqualTo(minutes(3).toEpochMilli());
            assertThat(state.markers()).containsExactly(
                    new SessionHijackRule.SessionState.Marker(home.getEventId(), minutes(0).toEpochMilli(), "CN"),
                    new SessionHijackRule.SessionState.Marker(away.getEventId(), minutes(3).toEpochMilli(), "US"));

            h.send(from("u-1", "s-1", minutes(4), "58.33.10.8", "CN"));
            assertThat(session(h, "acme/u-1", "s-1").markers()).as("nothing new: no marker").hasSize(2);

            h.send(from("u-1", "s-3", minutes(40), "58.33.10.8", "CN"));
            assertThat(session(h, "acme/u-1", "s-1")).as("idle: forgotten at the user's next event").isNull();
            assertThat(session(h, "acme/u-1", "s-3")).isNotNull();

            h.send(from("u-2", "s-2", minutes(24 * 60 + 45), "10.1.0.1", "CN"));
            assertThat(session(h, "acme/u-1", "s-3")).as("purged on stream time (daily while dormant-account keeps the entry)").isNull();
            assertThat(session(h, "acme/u-2", "s-2")).isNotNull();
        }
    }

    @Test
    void keepsAtMost32SessionsPerUserForgettingTheLeastRecentlyUsed() {
        try (var h = TopologyHarness.start()) {
            h.send(from("u-1", "s-0", minutes(0), "58.33.10.7", "CN"));
            for (int i = 1; i <= SessionHijackRule.MAX_SESSIONS_PER_USER; i++) {
                h.send(from("u-1", "s-" + i, minutes(0.1 * i), "58.33.10.7", "CN"));
            }
            KeyValueStore<String, UserActivity> store = h.driver.getKeyValueStore(UserActivityDetection.STORE);
            assertThat(store.get("acme/u-1").sessions()).hasSize(SessionHijackRule.MAX_SESSIONS_PER_USER);
            assertThat(session(h, "acme/u-1", "s-0")).as("the least recently used").isNull();
            assertThat(session(h, "acme/u-1", "s-1")).isNotNull();

            var incidents = of(h.send(from("u-1", "s-1", minutes(5), "203.0.113.5", "US")).incidents());
            assertThat(incidents).as("the sessions kept still work").hasSize(1);
        }
    }

    @Test
    void withDormantAccountOffAnEntryIsPurgedOnceItsSessionsAreIdle() {
        try (var h = TopologyHarness.start(Map.of("detect.dormant-account.enabled", "false"))) {
            h.send(from("u-1", "s-1", minutes(0), "58.33.10.7", "CN"));
            assertThat(session(h, "acme/u-1", "s-1")).isNotNull();

            h.send(from("u-2", "s-2", minutes(65), "10.1.0.1", "CN"));
            KeyValueStore<String, UserActivity> store = h.driver.getKeyValueStore(UserActivityDetection.STORE);
            assertThat(store.get("acme/u-1")).as("nothing left: deleted by the purge (every idle timeout)").isNull();
            assertThat(store.get("acme/u-2").lastSeen()).as("no last activity kept with the rule off").isNull();
        }
    }

    @Test
    void takesOverASessionAnEarlierVersionKeptInTheRulesOwnStore() {
        try (var h = TopologyHarness.start()) {
            KeyValueStore<String, SessionHijackRule.SessionState> old = h.driver.getKeyValueStore(SessionHijackRule.STORE);
            var home = from("u-1", "s-1", minutes(0), "58.33.10.7", "CN");
            old.put(SessionHijackRule.sessionKey("acme/u-1", "s-1"), new SessionHijackRule.SessionState().add(home, "v4:58.33"));
            // the old store is read once it is seen holding anything: at start (after restoring) and at each purge
            h.send(from("u-2", "s-2", minutes(-60), "10.1.0.1", "CN"), from("u-2", "s-2", minutes(-1), "10.1.0.1", "CN"));
            var away = from("u-1", "s-1", minutes(5), "203.0.113.5", "US");
            var incidents = of(h.send(away).incidents());

            assertThat(incidents).hasSize(1);
            assertThat(incidents.get(0).getEvidenceEventIds()).containsExactly(home.getEventId(), away.getEventId());
            assertThat(session(h, "acme/u-1", "s-1").countries()).containsExactly("CN", "US");
            assertThat(old.get(SessionHijackRule.sessionKey("acme/u-1", "s-1"))).as("moved, not copied").isNull();
        }
    }

    @Test
    void badValuesFailNamingTheKey() {
        for (var bad : Map.of("detect.session-hijack.ipv4-prefix", "33", "detect.session-hijack.ipv6-prefix", "-1",
                "detect.session-hijack.idle-timeout", "0s").entrySet()) {
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> TopologyHarness.start(Map.of(bad.getKey(), bad.getValue())))
                    .isInstanceOf(io.breachwatch.config.ConfigException.class).hasMessageContaining(bad.getKey());
        }
    }
}
