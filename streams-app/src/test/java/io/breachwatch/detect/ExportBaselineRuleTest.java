package io.breachwatch.detect;

import io.breachwatch.config.ConfigException;
import io.breachwatch.config.Settings;
import io.breachwatch.metrics.MetricNames;
import io.breachwatch.schema.AccessEvent;
import io.breachwatch.schema.Action;
import io.breachwatch.schema.Incident;
import io.breachwatch.schema.Severity;
import io.breachwatch.topology.TopologyHarness;
import org.apache.kafka.streams.state.KeyValueStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;

import static io.breachwatch.topology.TopologyHarness.event;
import static io.breachwatch.topology.TopologyHarness.export;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

/**
 * export-baseline in the full topology with its defaults: days in Asia/Shanghai, z >= 4 AND 3x the mean AND
 * 2,000 records; 7 days of own history before the own baseline replaces the role's peers; 20,000 records for a
 * user with neither.
 */
class ExportBaselineRuleTest {
    private static final ZoneId SHANGHAI = ZoneId.of("Asia/Shanghai");
    private static final LocalDate DAY_0 = LocalDate.of(2025, 3, 3);

    /** Local time {@code hh:mm} in Shanghai on day {@code n} after 2025-03-03. */
    private static Instant day(int n, int hour, int minute) {
        return DAY_0.plusDays(n).atTime(LocalTime.of(hour, minute)).atZone(SHANGHAI).toInstant();
    }

    private static AccessEvent exportAs(String user, String role, Instant ts, long records) {
        return event(user, ts).setUserRole(role).setAction(Action.EXPORT).setRecordCount(records).setDestination("download").build();
    }

    /** The rule's incident revisions; RESOLVED ones (a day later, incident.resolve-after) belong to IncidentStageTest. */
    private static List<Incident> baselineIncidents(TopologyHarness h) {
        return h.incidents().stream().filter(i -> i.getRuleId().equals(ExportBaselineRule.RULE))
                .filter(i -> i.getStatus() != io.breachwatch.schema.IncidentStatus.RESOLVED).toList();
    }

    private static KeyValueStore<String, ExportBaselineState> users(TopologyHarness h) {
        return h.driver.getKeyValueStore(ExportBaselineRule.USERS_STORE);
    }

    private static KeyValueStore<String, ExportBaselinePeerUpdate> peers(TopologyHarness h) {
        return h.driver.getKeyValueStore(ExportBaselineRule.PEERS_STORE);
    }

    /** {@code days} days from day 0 on which {@code user} exports {@code volume(d)} records at 10:00. */
    private static List<AccessEvent> history(String user, String role, int days, java.util.function.IntToLongFunction volume) {
        return IntStream.range(0, days).mapToObj(d -> exportAs(user, role, day(d, 10, 0), volume.applyAsLong(d))).toList();
    }

    /** The nightly integration: 50,000 rows (+-2,000) at 02:00, in five BULK_API pages. */
    private static List<AccessEvent> nightlySync(int night) {
        var rows = 50_000 + (night % 3 - 1) * 2_000;
        return IntStream.range(0, 5).mapToObj(page -> event("svc-sync", day(night, 2, page)).setUserRole("integration")
                .setAction(Action.BULK_API).setRecordCount(rows / 5).setDestination("api:warehouse").build()).toList();
    }

    @Test
    void nightlyIntegrationExportStaysSilentAfterFourteenDaysOfHistory() {
        try (var h = running()) {
            IntStream.range(0, 14).forEach(night -> h.send(nightlySync(night)));
            assertThat(baselineIncidents(h)).as("only the first night, on the new-user floor").isNotEmpty()
                    .allSatisfy(i -> assertThat(i.getFirstSeen()).isBefore(day(1, 0, 0)));

            h.send(nightlySync(14)).send(nightlySync(15));

            assertThat(baselineIncidents(h)).isEmpty();
            var state = users(h).get("acme/svc-sync");
            assertThat(state.days()).isEqualTo(15);
            assertThat(state.mean()).isCloseTo(50_000, within(1_000.0));
            assertThat(state.volume()).isEqualTo(nightlySync(15).stream().mapToLong(AccessEvent::getRecordCount).sum());
        }
    }

    /** 120 events over 30 hours, one every 15 minutes, from {@code start}: enough for a task to finish learning. */
    private static List<AccessEvent> steadyTraffic(Instant start) {
        return IntStream.range(0, 120).mapToObj(i -> event("u-busy", start.plus(Duration.ofMinutes(15L * i))).build()).toList();
    }

    /** The rule has been running longer than its learning period. */
    private static TopologyHarness running(Map<String, String> settings) {
        return TopologyHarness.start(settings).send(steadyTraffic(day(-3, 0, 0)));
    }

    /**
     * The topology as the service runs it, or as replay does: in one task, where the group's answer reaches the inbox
     * while the user's processor is still at work on the export that asked.
     */
    private static TopologyHarness harness(boolean singleTask) {
        return singleTask ? TopologyHarness.startSingleTask(Map.of("state.in-memory", "true", "state.changelog", "false")) : TopologyHarness.start();
    }

    private static TopologyHarness running() {
        return running(Map.of());
    }

    @Test
    void freshDeploymentDoesNotFlagNewHeavyAccountsDuringItsLearningPeriod() {
        try (var h = TopologyHarness.start()) {
            h.send(event("u-1", day(0, 1, 0)).build()).send(nightlySync(0));
            assertThat(baselineIncidents(h)).as("first day after the first event: every account looks new").isEmpty();
            assertThat(h.driver.<String, Long>getKeyValueStore(ExportBaselineRule.LEARNING_STORE).get(ExportBaselineLearningClock.SINCE))
                    .as("any event starts the clock").isEqualTo(day(0, 1, 0).toEpochMilli());

            h.send(nightlySync(1));
            assertThat(baselineIncidents(h)).as("second night: its own first night is the baseline").isEmpty();
        }
    }

    @Test
    void aStrayOldEventDoesNotStartTheLearningClock() {
        try (var h = TopologyHarness.start()) {
            h.send(event("u-dormant", day(-120, 10, 0)).build(), event("u-1", day(0, 1, 0)).build()).send(nightlySync(0));
            assertThat(baselineIncidents(h)).isEmpty();
            assertThat(h.driver.<String, Long>getKeyValueStore(ExportBaselineRule.LEARNING_STORE).get(ExportBaselineLearningClock.SINCE))
                    .as("restarted after the 120-day gap").isEqualTo(day(0, 1, 0).toEpochMilli());

            h.send(steadyTraffic(day(0, 3, 0))).send(exportAs("u-new", "legal", day(1, 10, 0), 25_000));
            assertThat(baselineIncidents(h)).as("learning is over: a new account's 25,000 rows fire").singleElement()
                    .satisfies(i -> assertThat(i.getUserId()).isEqualTo("u-new"));
            assertThat(h.driver.<String, Long>getKeyValueStore(ExportBaselineRule.LEARNING_STORE).get(ExportBaselineLearningClock.EVENTS)).isGreaterThanOrEqualTo(20L);
        }
    }

    @Test
    void deploymentStartingMidDayDoesNotFlagTheFirstNightAgainstAPartialDay() {
        try (var h = TopologyHarness.start()) {
            h.send(event("svc-sync", day(0, 10, 0)).setUserRole("integration").setAction(Action.BULK_API).setRecordCount(1_000).build());
            h.send(nightlySync(1));
            assertThat(baselineIncidents(h)).as("1,000 rows of a partial first day are no baseline; still learning").isEmpty();

            h.send(nightlySync(2)).send(nightlySync(3).stream().map(e -> AccessEvent.newBuilder(e).setRecordCount(e.getRecordCount() * 2).build()).toList());
            assertThat(baselineIncidents(h)).as("seen from the start: no new-user floor; it waits for a real baseline").isEmpty();
            assertThat(users(h).get("acme/svc-sync").seenFromStart()).isTrue();
        }
    }

    @ParameterizedTest(name = "single task: {0}")
    @ValueSource(booleans = {false, true})
    void starvedSubscriberGetsStatisticsAsPeersCloseTheirDaysAndTheDayIsJudgedAgain(boolean singleTask) {
        try (var h = harness(singleTask)) {
            var team = Map.of("p-1", 4_000L, "p-2", 4_500L, "p-3", 5_000L, "p-4", 5_500L, "p-5", 6_000L);
            team.forEach((user, volume) -> h.send(exportAs(user, "sales", day(0, 10, 0), volume)));
            h.send(exportAs("u-new", "sales", day(0, 11, 0), 5_000), exportAs("u-new", "sales", day(1, 8, 0), 5_000));
            assertThat(users(h).get("acme/u-new").peers().users()).as("at 08:00 no peer has closed a day yet").isZero();

            h.send(exportAs("u-new", "sales", day(1, 8, 30), 10_000));
            assertThat(baselineIncidents(h)).as("15,000 with no peers yet: only the new-user floor applies").isEmpty();

            assertThat(peers(h).get("acme/sales|acme/u-new").starved()).isTrue();

            List.of("p-1", "p-2", "p-3", "p-4", "p-5").forEach(user -> h.send(exportAs(user, "sales", day(1, 9, 0), team.get(user))));

            assertThat(users(h).get("acme/u-new").peers().users()).as("pushed until there were enough").isEqualTo(5);
            assertThat(peers(h).get("acme/sales|acme/u-new").starved()).isFalse();
            assertThat(baselineIncidents(h)).as("judged again when the fifth peer's statistics arrive, without a new export")
                    .singleElement().satisfies(i -> {
                        assertThat(i.getBaseline().getSource()).isEqualTo("peer");
                        assertThat(i.getBaseline().getMean()).as("median of p-1..p-5").isEqualTo(5_000);
                        assertThat(i.getObserved()).isEqualTo(15_000);
                        assertThat(i.getLastSeen()).isEqualTo(day(1, 8, 30));
                    });
        }
    }

    @Test
    void nightlyIntegrationWithoutHistoryFiresOnceOnItsFirstNightThenLearns() {
        try (var h = running()) {
            h.send(nightlySync(0));
            var first = baselineIncidents(h);

            assertThat(first).extracting(Incident::getIncidentId).containsOnly(first.get(0).getIncidentId());
            assertThat(first).as("48,000 rows in pages of 9,600").extracting(Incident::getObserved).containsExactly(28_800.0, 38_400.0, 48_000.0);
            var last = first.get(first.size() - 1);
            assertThat(last.getBaseline()).isNull();
            assertThat(last.getAttributes()).containsEntry("baseline_source", "new-user").containsEntry("effective_threshold", "20000");
            assertThat(last.getSummary()).isEqualTo("User svc-sync of tenant acme exported 48,000 records today (2025-03-03, "
                    + "Asia/Shanghai), with no export history and no peer baseline (new users fire from 20,000).");
            assertThat(last.getSeverity()).as("10x the floor").isEqualTo(Severity.HIGH);

            h.send(nightlySync(1)).send(nightlySync(2));
            assertThat(baselineIncidents(h)).as("from the second night its own short history applies").isEmpty();
        }
    }

    /**
     * A day judged on the peer group's answer is judged two repartition topics after its export: the export's
     * headers travel with the update and the answer, so the incident stage still measures from the event's ingest.
     */
    @Test
    void aDayJudgedOnThePeerGroupsAnswerKeepsItsExportsIngestTime() {
        try (var h = running()) {
            h.send(nightlySync(0));

            assertThat(baselineIncidents(h)).as("each page asks the group again (no peers yet)").hasSize(3);
            assertThat(h.meters.find(MetricNames.INGEST_LATENCY).tag("rule", ExportBaselineRule.RULE).timer().count()).isEqualTo(3);
        }
    }

    /** Five sales reps export 4,000 to 6,000 a day; the new rep u-new exported 5,000 on day 0. */
    private static void salesTeamAndNewRep(TopologyHarness h) {
        var team = Map.of("p-1", 4_000L, "p-2", 4_500L, "p-3", 5_000L, "p-4", 5_500L, "p-5", 6_000L);
        team.forEach((user, volume) -> h.send(exportAs(user, "sales", day(0, 10, 0), volume)));
        h.send(exportAs("u-new", "sales", day(0, 11, 0), 5_000));
        team.forEach((user, volume) -> h.send(exportAs(user, "sales", day(1, 9, 0), volume)));
    }

    @ParameterizedTest(name = "single task: {0}")
    @ValueSource(booleans = {false, true})
    void newSalesRepExportingThreeTimesTheRoleMedianOnDayTwoFiresViaPeerGroup(boolean singleTask) {
        try (var h = harness(singleTask)) {
            salesTeamAndNewRep(h);
            h.send(exportAs("u-new", "sales", day(1, 14, 0), 5_000),
                    exportAs("u-new", "sales", day(1, 14, 10), 5_000),
                    exportAs("u-new", "sales", day(1, 14, 20), 5_000));

            var incidents = baselineIncidents(h);
            assertThat(incidents).hasSize(1);
            var incident = incidents.get(0);
            assertThat(incident.getObserved()).isEqualTo(15_000);
            assertThat(incident.getBaseline().getSource()).isEqualTo("peer");
            assertThat(incident.getBaseline().getMean()).isEqualTo(5_000);
            assertThat(incident.getBaseline().getStddev()).isCloseTo(741.3, within(0.1));
            assertThat(incident.getBaseline().getDays()).as("the five peers' days").isEqualTo(5);
            assertThat(incident.getAttributes()).containsEntry("peer_users", "5").containsEntry("own_days", "1")
                    .containsEntry("effective_threshold", "15000");
            assertThat(incident.getWindowStart()).isEqualTo(day(1, 0, 0));
            assertThat(incident.getSummary()).isEqualTo("User u-new of tenant acme exported 15,000 records today (2025-03-04, "
                    + "Asia/Shanghai), 3.0x the median of 5,000 of 5 sales peers (z = 13.5; fires from 15,000); 1 day of own history.");
            assertThat(peers(h).get("acme/sales|acme/u-new")).isEqualTo(new ExportBaselinePeerUpdate("acme/u-new", 5_000, 1, DAY_0.toEpochDay() + 1, true));
            assertThat(users(h).get("acme/u-new").peers()).isEqualTo(new ExportBaselinePeerStats(5_000, 1.4826 * 500, 5, 5));
        }
    }

    @Test
    void newSalesRepJustBelowThreeTimesTheRoleMedianStaysSilent() {
        try (var h = TopologyHarness.start()) {
            salesTeamAndNewRep(h);
            h.send(exportAs("u-new", "sales", day(1, 14, 0), 14_999));

            assertThat(baselineIncidents(h)).isEmpty();
        }
    }

    @Test
    void newUserWithTooFewPeersUsesTheNewUserFloor() {
        try (var h = running()) {
            h.send(exportAs("p-1", "support", day(0, 10, 0), 100), exportAs("p-2", "support", day(0, 10, 0), 100),
                    exportAs("p-1", "support", day(1, 9, 0), 100), exportAs("p-2", "support", day(1, 9, 0), 100));
            h.send(exportAs("u-new", "support", day(1, 14, 0), 19_999));
            assertThat(baselineIncidents(h)).as("two peers are fewer than min-peers 5").isEmpty();

            h.send(exportAs("u-new", "support", day(1, 14, 5), 1));
            assertThat(baselineIncidents(h)).singleElement()
                    .satisfies(i -> assertThat(i.getAttributes()).containsEntry("baseline_source", "new-user"));
        }
    }

    @Test
    void shortOwnHistoryWithoutPeersFiresOnlyFromTheNewUserFloor() {
        try (var h = running()) {
            h.send(history("u-2", "legal", 2, d -> 500)).send(exportAs("u-2", "legal", day(2, 10, 0), 3_000));
            assertThat(baselineIncidents(h)).as("6x a 2-day history, but two days say little").isEmpty();

            h.send(exportAs("u-2", "legal", day(2, 10, 5), 17_000));
            assertThat(baselineIncidents(h)).singleElement().satisfies(i -> {
                assertThat(i.getBaseline().getSource()).isEqualTo("own");
                assertThat(i.getBaseline().getDays()).isEqualTo(2);
                assertThat(i.getAttributes()).containsEntry("effective_threshold", "20000");
            });
        }
    }

    /** u-7 exports 4,800 and 5,200 on alternate days: mean 5,000, standard deviation 200. */
    private static List<AccessEvent> regularUser(int days) {
        return history("u-7", "sales", days, d -> d % 2 == 0 ? 4_800 : 5_200);
    }

    @Test
    void regularUsersTenfoldSpikeFiresViaOwnBaselineAsOneIncident() {
        try (var h = TopologyHarness.start()) {
            h.send(regularUser(14));
            assertThat(baselineIncidents(h)).isEmpty();

            h.send(IntStream.range(0, 5).mapToObj(i -> exportAs("u-7", "sales", day(14, 15, 10 * i), 10_000)).toList());

            var incidents = baselineIncidents(h);
            assertThat(incidents).extracting(Incident::getObserved).containsExactly(20_000.0, 30_000.0, 40_000.0, 50_000.0);
            assertThat(incidents).extracting(Incident::getRevision).containsExactly(1, 2, 3, 4);
            assertThat(incidents).extracting(Incident::getIncidentId).containsOnly(incidents.get(0).getIncidentId());
            var last = incidents.get(3);
            assertThat(last.getBaseline().getSource()).isEqualTo("own");
            assertThat(last.getBaseline().getDays()).isEqualTo(14);
            assertThat(last.getBaseline().getMean()).isCloseTo(5_000, within(1e-6));
            assertThat(last.getBaseline().getStddev()).isCloseTo(200, within(1e-6));
            assertThat(last.getThreshold()).as("the incident's threshold is the floor").isEqualTo(2_000);
            assertThat(last.getRecordCount()).isEqualTo(50_000);
            assertThat(last.getAffectedIndividuals()).isEqualTo(50_000);
            assertThat(last.getSummary()).isEqualTo("User u-7 of tenant acme exported 50,000 records today (2025-03-17, "
                    + "Asia/Shanghai), 10.0x their 14-day average of 5,000 (z = 225.0; fires from 15,000).");
            assertThat(h.caseStore().get("export-baseline|acme/u-7").getRevision()).isEqualTo(4);

            var state = users(h).get("acme/u-7");
            assertThat(state.mean()).as("today's burst does not inflate its own baseline").isCloseTo(5_000, within(1e-6));
            assertThat(state.days()).isEqualTo(14);
            assertThat(state.volume()).isEqualTo(50_000);
        }
    }

    @Test
    void firesExactlyAtTheEffectiveThreshold() {
        try (var h = TopologyHarness.start()) {
            h.send(regularUser(14)).send(exportAs("u-7", "sales", day(14, 15, 0), 14_999));
            assertThat(baselineIncidents(h)).as("3x the mean of 5,000 is 15,000").isEmpty();

            h.send(exportAs("u-7", "sales", day(14, 15, 1), 1));
            assertThat(baselineIncidents(h)).singleElement().satisfies(i -> assertThat(i.getObserved()).isEqualTo(15_000));
        }
    }

    @Test
    void smallUsersBelowTheFloorNeverFire() {
        try (var h = TopologyHarness.start()) {
            h.send(history("u-small", "support", 14, d -> 100)).send(exportAs("u-small", "support", day(14, 15, 0), 1_999));
            assertThat(baselineIncidents(h)).as("19x the mean, z = 190, but below the floor of 2,000").isEmpty();

            h.send(exportAs("u-small", "support", day(14, 15, 1), 1));
            assertThat(baselineIncidents(h)).singleElement().satisfies(i -> assertThat(i.getObserved()).isEqualTo(2_000));
        }
    }

    @Test
    void dayClosesAtMidnightInTheTenantTimeZone() {
        try (var h = TopologyHarness.start()) {
            h.send(regularUser(14))
                    .send(exportAs("u-7", "sales", day(14, 23, 50), 10_000))
                    .send(exportAs("u-7", "sales", day(15, 0, 10), 10_000));

            assertThat(baselineIncidents(h)).as("10,000 on each side of Shanghai midnight (16:00 UTC)").isEmpty();
            assertThat(users(h).get("acme/u-7").day()).isEqualTo(DAY_0.toEpochDay() + 15);
            assertThat(users(h).get("acme/u-7").days()).isEqualTo(15);
        }
    }

    @Test
    void exportsForAClosedDayAreCountedAsLateNotAdded() {
        try (var h = TopologyHarness.start()) {
            h.send(regularUser(14))
                    .send(exportAs("u-7", "sales", day(14, 10, 0), 1_000))
                    .send(exportAs("u-7", "sales", day(14, 9, 0), 1_000))
                    .send(exportAs("u-7", "sales", day(13, 22, 0), 50_000));

            assertThat(baselineIncidents(h)).isEmpty();
            assertThat(h.counter(MetricNames.EVENTS_LATE, "rule", ExportBaselineRule.RULE)).isEqualTo(1);
            var state = users(h).get("acme/u-7");
            assertThat(state.volume()).as("out of order within the day still counts").isEqualTo(2_000);
            assertThat(state.mean()).isCloseTo(5_000, within(1e-6));
        }
    }

    @Test
    void forgetsUsersInactiveLongerThanTheRetention() {
        try (var h = TopologyHarness.start()) {
            h.send(history("u-old", "sales", 3, d -> 5_000)).send(exportAs("u-other", "sales", day(20, 10, 0), 10));
            assertThat(users(h).get("acme/u-old")).as("17 days inactive: kept").isNotNull();
            assertThat(peers(h).get("acme/sales|acme/u-old")).isNotNull();

            h.send(exportAs("u-other", "sales", day(40, 10, 0), 10));

            assertThat(users(h).get("acme/u-old")).as("37 days inactive: forgotten").isNull();
            assertThat(peers(h).get("acme/sales|acme/u-old")).isNull();
            assertThat(users(h).get("acme/u-other")).isNotNull();
            assertThat(peers(h).get("acme/sales|acme/u-other")).isNotNull();

            h.send(exportAs("u-old", "sales", day(41, 10, 0), 1_000));
            assertThat(users(h).get("acme/u-old").days()).as("starts over").isZero();
        }
    }

    @Test
    void roleChangeMovesTheUserToTheNewPeerGroup() {
        try (var h = TopologyHarness.start()) {
            h.send(history("u-1", "sales", 2, d -> 5_000)).send(exportAs("u-1", "marketing", day(2, 10, 0), 10));

            assertThat(peers(h).get("acme/sales|acme/u-1")).isNull();
            assertThat(peers(h).get("acme/marketing|acme/u-1")).isEqualTo(
                    new ExportBaselinePeerUpdate("acme/u-1", 5_000, 2, DAY_0.toEpochDay() + 2, true, true));
        }
    }

    @Test
    void usersWithEnoughHistoryLeaveThePeerSubscription() {
        try (var h = TopologyHarness.start()) {
            h.send(regularUser(8));

            var state = users(h).get("acme/u-7");
            assertThat(state.days()).isEqualTo(7);
            assertThat(state.subscribed()).isFalse();
            assertThat(state.peers()).isNull();
            assertThat(peers(h).get("acme/sales|acme/u-7").subscribed()).isFalse();
        }
    }

    @Test
    void badSettingsNameTheKey() {
        assertThatThrownBy(() -> read(Map.of("detect.export-baseline.new-user-floor", "1000")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("detect.export-baseline.new-user-floor")
                .hasMessageContaining("detect.export-baseline.floor");
        assertThatThrownBy(() -> read(Map.of("detect.export-baseline.ratio", "0.5")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("detect.export-baseline.ratio");
        assertThatThrownBy(() -> read(Map.of("detect.export-baseline.time-zone", "Mars/Olympus")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("detect.export-baseline.time-zone");
        assertThatThrownBy(() -> read(Map.of("detect.export-baseline.retention", "1d")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("detect.export-baseline.retention");
    }

    @Test
    void disabledRuleAddsNothingToTheTopology() {
        try (var h = TopologyHarness.start(Map.of("detect.export-baseline.enabled", "false"))) {
            assertThat(h.config.rules()).noneMatch(r -> r.ruleId().equals(ExportBaselineRule.RULE));
            assertThat(h.driver.getAllStateStores()).doesNotContainKey(ExportBaselineRule.USERS_STORE);
        }
    }

    private static ExportBaselineConfig read(Map<String, String> settings) {
        return ExportBaselineConfig.read(Settings.of(settings));
    }
}
