package io.breachwatch.detect;

import io.breachwatch.config.ConfigException;
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
import static io.breachwatch.topology.TopologyHarness.export;
import static io.breachwatch.topology.TopologyHarness.view;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** dormant-account with its defaults: fires after more than 90 days without activity; last activity kept 365 days. */
class DormantAccountRuleTest {

    private static Instant days(double d) {
        return T0.plusMillis((long) (d * Duration.ofDays(1).toMillis()));
    }

    /** The user's last activity as the store holds it, or null when it has no entry. */
    private static Long lastSeen(TopologyHarness h, String user) {
        KeyValueStore<String, UserActivity> store = h.driver.getKeyValueStore(UserActivityDetection.STORE);
        var entry = store.get(user);
        return entry == null ? null : entry.lastSeen();
    }

    private static List<Incident> of(List<Incident> incidents) {
        return incidents.stream().filter(i -> i.getRuleId().equals(DormantAccountRule.RULE)).toList();
    }

    @Test
    void firesWhenAnAccountSilentFor120DaysExportsAgain() {
        try (var h = TopologyHarness.start()) {
            var wake = event("u-1", days(120)).setAction(Action.EXPORT).setRecordCount(300)
                    .setFields(List.of("name", "id_card_number")).build();
            var incidents = of(h.send(view("u-1", "c-1", T0), wake).incidents());

            assertThat(incidents).hasSize(1);
            var incident = incidents.get(0);
            assertThat(incident.getType()).isEqualTo("dormant_account");
            assertThat(incident.getSeverity()).isEqualTo(Severity.MEDIUM);
            assertThat(incident.getUserId()).isEqualTo("u-1");
            assertThat(incident.getObserved()).isEqualTo(120.0);
            assertThat(incident.getThreshold()).isEqualTo(90.0);
            assertThat(incident.getWindowStart()).as("the silence began").isEqualTo(T0);
            assertThat(incident.getWindowEnd()).isEqualTo(days(120));
            assertThat(incident.getFirstSeen()).isEqualTo(days(120));
            assertThat(incident.getEvidenceEventIds()).containsExactly(wake.getEventId());
            assertThat(incident.getPiCategories()).contains("specific_identity");
            assertThat(incident.getAttributes()).containsEntry("silent_days", "120").containsEntry("silent_since", T0.toString());
            assertThat(incident.getSummary()).isEqualTo(
                    "User u-1 of tenant acme was active again at 2025-07-01 10:00 UTC after 120 days without activity (threshold 90 days).");
        }
    }

    @Test
    void firstActivityOfAnUnknownUserNeverFires() {
        try (var h = TopologyHarness.start()) {
            h.send(view("u-1", "c-1", days(400)));

            assertThat(of(h.incidents())).isEmpty();
            assertThat(lastSeen(h, "acme/u-1")).isEqualTo(days(400).toEpochMilli());
        }
    }

    @Test
    void firesOnlyAfterMoreThanNinetyDays() {
        try (var h = TopologyHarness.start()) {
            h.send(view("u-1", "c-1", T0), view("u-1", "c-1", days(90)));
            h.send(view("u-2", "c-1", T0), view("u-2", "c-1", days(90).plusMillis(1)));

            assertThat(of(h.incidents())).extracting(Incident::getUserId).as("exactly 90 days is not more than 90").containsExactly("u-2");
        }
    }

    @Test
    void failedLoginsAreNotActivityAndDoNotRefreshLastSeen() {
        try (var h = TopologyHarness.start()) {
            h.send(view("u-1", "c-1", T0),
                    event("u-1", days(100)).setAction(Action.LOGIN_FAILED).setOutcome(Outcome.FAILED).build(),
                    event("u-1", days(100.01)).setAction(Action.LOGIN).setOutcome(Outcome.FAILED).build());
            assertThat(of(h.incidents())).isEmpty();
            assertThat(lastSeen(h, "acme/u-1")).isEqualTo(T0.toEpochMilli());

            var incidents = of(h.send(event("u-1", days(100.5)).setAction(Action.LOGIN).build()).incidents());
            assertThat(incidents).hasSize(1);
            assertThat(incidents.get(0).getObserved()).isEqualTo(100.5);
        }
    }

    @Test
    void lateActivityNeitherFiresNorRewindsLastSeen() {
        try (var h = TopologyHarness.start()) {
            h.send(view("u-1", "c-1", days(100)), view("u-1", "c-1", T0));

            assertThat(of(h.incidents())).isEmpty();
            assertThat(lastSeen(h, "acme/u-1")).isEqualTo(days(100).toEpochMilli());
        }
    }

    @Test
    void oneIncidentWhenTheWokenAccountKeepsWorking() {
        try (var h = TopologyHarness.start()) {
            h.send(view("u-1", "c-1", T0));
            for (int i = 0; i < 48; i++) {
                h.send(export("u-1", days(120).plus(Duration.ofMinutes(30L * i)), 100));
            }
            var incidents = of(h.incidents());

            assertThat(incidents).hasSize(1);
            assertThat(h.caseStore().get(Finding.caseKey(DormantAccountRule.RULE, "acme/u-1")).getIncidentId())
                    .isEqualTo(incidents.get(0).getIncidentId());
            assertThat(lastSeen(h, "acme/u-1")).as("kept to the hour").isEqualTo(days(120).plus(Duration.ofMinutes(30L * 46)).toEpochMilli());
        }
    }

    @Test
    void purgesLastSeenAfterRetentionSoALongerSilenceLooksNew() {
        try (var h = TopologyHarness.start(Map.of("detect.dormant-account.retention", "100d"))) {
            h.send(view("u-1", "c-1", T0), view("u-2", "c-1", days(50)));
            h.send(view("u-2", "c-1", days(100).minusMillis(1)));
            assertThat(lastSeen(h, "acme/u-1")).as("1 ms inside retention").isNotNull();

            h.send(view("u-2", "c-1", days(101)));
            assertThat(lastSeen(h, "acme/u-1")).as("purged on stream time, within a day (the purge interval) of expiring").isNull();

            h.send(view("u-1", "c-1", days(101.1)));
            assertThat(of(h.incidents())).as("silent longer than retention: looks new").isEmpty();
            assertThat(lastSeen(h, "acme/u-1")).isEqualTo(days(101.1).toEpochMilli());
        }
    }

    @Test
    void readsAnExpiredEntryAsAbsentEvenBeforeThePurgeRuns() {
        try (var h = TopologyHarness.start(Map.of("detect.dormant-account.retention", "100d"))) {
            h.send(view("u-1", "c-1", T0), view("u-1", "c-1", days(100)));

            assertThat(of(h.incidents())).isEmpty();
        }
    }

    @Test
    void takesOverTheLastActivitiesAnEarlierVersionKeptInTheRulesOwnStore() {
        try (var h = TopologyHarness.start()) {
            KeyValueStore<String, Long> old = h.driver.getKeyValueStore(DormantAccountRule.STORE);
            old.put("acme/u-1", T0.toEpochMilli());
            old.put("acme/u-3", T0.toEpochMilli());
            // the old store is read once it is seen holding anything: at start (after restoring) and at each purge
            h.send(view("u-2", "c-1", days(1)), view("u-2", "c-1", days(2)));
            var incidents = of(h.send(view("u-1", "c-1", days(120))).incidents());

            assertThat(incidents).extracting(Incident::getUserId).containsExactly("u-1");
            assertThat(incidents.get(0).getObserved()).isEqualTo(120.0);
            assertThat(lastSeen(h, "acme/u-1")).isEqualTo(days(120).toEpochMilli());
            assertThat(old.get("acme/u-1")).as("moved, not copied").isNull();
            assertThat(old.get("acme/u-3")).as("not seen since: waits in the old store").isEqualTo(T0.toEpochMilli());

            h.send(view("u-2", "c-1", days(366)));
            assertThat(old.get("acme/u-3")).as("purged after retention, as before").isNull();
        }
    }

    @Test
    void refusesARetentionNoLongerThanTheSilence() {
        assertThatThrownBy(() -> TopologyHarness.start(Map.of("detect.dormant-account.retention", "90d")))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("detect.dormant-account.retention")
                .hasMessageContaining("detect.dormant-account.silent-days");
    }
}
