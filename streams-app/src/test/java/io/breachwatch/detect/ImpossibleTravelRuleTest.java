package io.breachwatch.detect;

import io.breachwatch.schema.AccessEvent;
import io.breachwatch.schema.Action;
import io.breachwatch.schema.Incident;
import io.breachwatch.schema.Outcome;
import io.breachwatch.schema.Severity;
import io.breachwatch.topology.TopologyHarness;
import org.apache.kafka.streams.state.KeyValueStore;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import static io.breachwatch.topology.TopologyHarness.T0;
import static io.breachwatch.topology.TopologyHarness.event;
import static io.breachwatch.topology.TopologyHarness.minutes;
import static org.assertj.core.api.Assertions.assertThat;

/** impossible-travel with its defaults: 1000 km/h, 500 km minimum distance. */
class ImpossibleTravelRuleTest {
    static final double[] SHANGHAI = {31.2304, 121.4737};
    static final double[] BEIJING = {39.9042, 116.4074};
    static final double[] HANGZHOU = {30.2741, 120.1551};
    static final double[] NEW_YORK = {40.7128, -74.0060};

    static AccessEvent login(String user, Instant ts, double[] place, String country) {
        return event(user, ts).setAction(Action.LOGIN).setLatitude(place[0]).setLongitude(place[1]).setCountry(country)
                .setRecordCount(0).setFields(List.of()).setObjectType(null).build();
    }

    static double km(double[] a, double[] b) {
        return ImpossibleTravelRule.distanceKm(a[0], a[1], b[0], b[1]);
    }

    private static KeyValueStore<String, ImpossibleTravelRule.LastLogin> store(TopologyHarness h) {
        return h.driver.getKeyValueStore(ImpossibleTravelRule.STORE);
    }

    private static List<Incident> of(List<Incident> incidents) {
        return incidents.stream().filter(i -> i.getRuleId().equals(ImpossibleTravelRule.RULE)).toList();
    }

    @Test
    void haversineMatchesKnownDistances() {
        assertThat(km(SHANGHAI, BEIJING)).isBetween(1060.0, 1075.0);
        assertThat(km(SHANGHAI, NEW_YORK)).isBetween(11_830.0, 11_900.0);
        assertThat(km(SHANGHAI, SHANGHAI)).isZero();
        assertThat(ImpossibleTravelRule.distanceKm(0, 0, 0, 180)).isCloseTo(Math.PI * ImpossibleTravelRule.EARTH_RADIUS_KM,
                org.assertj.core.api.Assertions.within(1e-6));
    }

    @Test
    void firesForLoginsFromShanghaiAndNewYorkTwoHoursApart() {
        try (var h = TopologyHarness.start()) {
            var first = login("u-1", T0, SHANGHAI, "CN");
            var second = login("u-1", T0.plus(Duration.ofHours(2)), NEW_YORK, "US");
            var incidents = of(h.send(first, second).incidents());

            assertThat(incidents).hasSize(1);
            var incident = incidents.get(0);
            assertThat(incident.getType()).isEqualTo("account_takeover");
            assertThat(incident.getSeverity()).isEqualTo(Severity.HIGH);
            assertThat(incident.getUserId()).isEqualTo("u-1");
            assertThat(incident.getSourceIp()).isNull();
            assertThat(incident.getObserved()).isCloseTo(km(SHANGHAI, NEW_YORK) / 2, org.assertj.core.api.Assertions.within(1e-6));
            assertThat(incident.getThreshold()).isEqualTo(1000.0);
            assertThat(incident.getWindowStart()).isEqualTo(T0);
            assertThat(incident.getWindowEnd()).isEqualTo(second.getTimestamp());
            assertThat(incident.getEvidenceEventIds()).containsExactly(first.getEventId(), second.getEventId());
            assertThat(incident.getAffectedIndividuals()).isZero();
            assertThat(incident.getAttributes()).containsEntry("from_country", "CN").containsEntry("to_country", "US")
                    .containsEntry("elapsed_minutes", "120").containsKey("distance_km");
            assertThat(incident.getSummary()).isEqualTo("User u-1 of tenant acme logged in from places that would need "
                    + String.format(java.util.Locale.US, "%,d", Math.round(incident.getObserved()))
                    + " km/h of travel (threshold 1,000 km/h) between 10:00 and 12:00 UTC; latest pair: CN to US, "
                    + String.format(java.util.Locale.US, "%,d", Math.round(km(SHANGHAI, NEW_YORK))) + " km in 120 min.");
            var text = incident.getSummary() + incident.getAttributes();
            assertThat(text).as("no coordinates in the incident").doesNotContain("31.2", "121.4", "40.7", "74.0", "10.0.0.1");
        }
    }

    @Test
    void staysSilentForPlausibleTravel() {
        try (var h = TopologyHarness.start()) {
            h.send(login("u-1", T0, SHANGHAI, "CN"), login("u-1", T0.plus(Duration.ofHours(2)), BEIJING, "CN"));

            assertThat(of(h.incidents())).isEmpty();
        }
    }

    @Test
    void staysSilentForGeolocationJitterBelowTheMinimumDistance() {
        try (var h = TopologyHarness.start()) {
            h.send(login("u-1", T0, SHANGHAI, "CN"), login("u-1", minutes(1), HANGZHOU, "CN"), login("u-1", minutes(2), SHANGHAI, "CN"));

            assertThat(km(SHANGHAI, HANGZHOU)).as("far too fast, but jitter").isLessThan(500);
            assertThat(of(h.incidents())).isEmpty();
        }
    }

    @Test
    void firesOnlyAboveTheMaximumSpeed() {
        var elapsed = Duration.ofHours(2);
        var exactSpeed = ImpossibleTravelRule.speedKmh(km(SHANGHAI, BEIJING), elapsed.toMillis());
        var pair = List.of(login("u-1", T0, SHANGHAI, "CN"), login("u-1", T0.plus(elapsed), BEIJING, "CN"));
        try (var h = TopologyHarness.start(Map.of("detect.impossible-travel.max-speed-kmh", Double.toString(exactSpeed)))) {
            assertThat(of(h.send(pair).incidents())).as("exactly at the maximum speed").isEmpty();
        }
        try (var h = TopologyHarness.start(Map.of("detect.impossible-travel.max-speed-kmh", Double.toString(Math.nextDown(exactSpeed))))) {
            assertThat(of(h.send(pair).incidents())).as("just above it").hasSize(1);
        }
    }

    @Test
    void firesFromTheMinimumDistanceOn() {
        var exactKm = km(SHANGHAI, HANGZHOU);
        var pair = List.of(login("u-1", T0, SHANGHAI, "CN"), login("u-1", minutes(5), HANGZHOU, "CN"));
        try (var h = TopologyHarness.start(Map.of("detect.impossible-travel.min-distance-km", Double.toString(exactKm)))) {
            assertThat(of(h.send(pair).incidents())).as("exactly the minimum distance").hasSize(1);
        }
        try (var h = TopologyHarness.start(Map.of("detect.impossible-travel.min-distance-km", Double.toString(Math.nextUp(exactKm))))) {
            assertThat(of(h.send(pair).incidents())).as("just short of it").isEmpty();
        }
    }

    @Test
    void simultaneousLoginsCountAsOneMinuteApart() {
        try (var h = TopologyHarness.start()) {
            var incidents = of(h.send(login("u-1", T0, SHANGHAI, "CN"), login("u-1", T0, NEW_YORK, "US")).incidents());

            assertThat(incidents).hasSize(1);
            assertThat(incidents.get(0).getObserved()).isCloseTo(km(SHANGHAI, NEW_YORK) * 60, org.assertj.core.api.Assertions.within(1e-6));
            assertThat(incidents.get(0).getSeverity()).as("10x the threshold").isEqualTo(Severity.CRITICAL);
        }
    }

    @Test
    void ignoresLoginsWithoutCoordinatesAndOtherEvents() {
        try (var h = TopologyHarness.start()) {
            h.send(login("u-1", T0, SHANGHAI, "CN"),
                    event("u-1", minutes(10)).setAction(Action.LOGIN).setLatitude(NEW_YORK[0]).setCountry("US").build(),
                    event("u-1", minutes(11)).setAction(Action.LOGIN).setLongitude(NEW_YORK[1]).setCountry("US").build(),
                    event("u-1", minutes(12)).setAction(Action.LOGIN).setLatitude(91.0).setLongitude(NEW_YORK[1]).build(),
                    AccessEvent.newBuilder(login("u-1", minutes(13), NEW_YORK, "US")).setAction(Action.LOGIN_FAILED).setOutcome(Outcome.FAILED).build(),
                    AccessEvent.newBuilder(login("u-1", minutes(14), NEW_YORK, "US")).setAction(Action.VIEW).build());

            assertThat(of(h.incidents())).isEmpty();
            assertThat(store(h).get("acme/u-1").time()).as("still the Shanghai login").isEqualTo(T0.toEpochMilli());
        }
        try (var h = TopologyHarness.start()) {
            h.send(event("u-2", T0).setAction(Action.LOGIN).setCountry("CN").build());
            assertThat(store(h).get("acme/u-2")).as("a login without coordinates is not remembered").isNull();
        }
    }

    @Test
    void comparesALateLoginWithTheLatestAndKeepsTheLatest() {
        try (var h = TopologyHarness.start()) {
            var newYork = login("u-1", T0.plus(Duration.ofHours(2)), NEW_YORK, "US");
            var shanghai = login("u-1", T0, SHANGHAI, "CN");
            var incidents = of(h.send(newYork, shanghai).incidents());

            assertThat(incidents).hasSize(1);
            var incident = incidents.get(0);
            assertThat(incident.getWindowStart()).isEqualTo(T0);
            assertThat(incident.getAttributes()).containsEntry("from_country", "CN").containsEntry("to_country", "US");
            assertThat(incident.getEvidenceEventIds()).containsExactly(shanghai.getEventId(), newYork.getEventId());
            assertThat(store(h).get("acme/u-1").eventId()).as("a late login never rewinds the store").isEqualTo(newYork.getEventId());
        }
    }

    @Test
    void oneIncidentForRepeatedImpossibleLogins() {
        try (var h = TopologyHarness.start()) {
            for (int i = 0; i < 8; i++) {
                h.send(login("u-1", T0.plus(Duration.ofHours(i)), i % 2 == 0 ? SHANGHAI : NEW_YORK, i % 2 == 0 ? "CN" : "US"));
            }
            var incidents = of(h.incidents());

            assertThat(incidents).extracting(Incident::getIncidentId).containsOnly(incidents.get(0).getIncidentId());
            assertThat(incidents).extracting(Incident::getRevision).isSorted().doesNotHaveDuplicates();
            assertThat(incidents.get(incidents.size() - 1).getLastSeen()).isEqualTo(T0.plus(Duration.ofHours(7)));
        }
    }

    @Test
    void storesTheLatestLoginAndPurgesItOnceNoLoginCouldBeTooFast() {
        var ttl = new ImpossibleTravelRule.Config(1000, 500, Severity.HIGH, Duration.ofDays(1)).ttl();
        assertThat(ttl).isBetween(Duration.ofHours(20), Duration.ofHours(21));
        try (var h = TopologyHarness.start()) {
            var shanghai = login("u-1", T0, SHANGHAI, "CN");
            h.send(shanghai);
            assertThat(store(h).get("acme/u-1")).isEqualTo(new ImpossibleTravelRule.LastLogin(
                    T0.toEpochMilli(), SHANGHAI[0], SHANGHAI[1], "CN", shanghai.getEventId()));

            h.send(login("u-2", T0.plus(ttl).minusMillis(1), BEIJING, "CN"));
            assertThat(store(h).get("acme/u-1")).as("just inside the TTL").isNotNull();

            // purges run every TTL of stream time: one falls within a TTL after expiry
            h.send(login("u-2", T0.plus(ttl.multipliedBy(2)).plus(Duration.ofHours(1)), BEIJING, "CN"));
            assertThat(store(h).get("acme/u-1")).as("purged on stream time").isNull();
            try (var all = store(h).all()) {
                assertThat(all).toIterable().extracting(kv -> kv.key).containsExactly("acme/u-2");
            }
        }
    }

    @Test
    void badValuesFailNamingTheKey() {
        for (var bad : Map.of("detect.impossible-travel.max-speed-kmh", "0", "detect.impossible-travel.min-distance-km", "-5",
                "detect.impossible-travel.merge-gap", "soon").entrySet()) {
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> TopologyHarness.start(Map.of(bad.getKey(), bad.getValue())))
                    .isInstanceOf(io.breachwatch.config.ConfigException.class).hasMessageContaining(bad.getKey());
        }
    }
}
