package io.breachwatch.detect;

import io.breachwatch.metrics.MetricNames;
import io.breachwatch.schema.AccessEvent;
import io.breachwatch.schema.Incident;
import io.breachwatch.schema.IncidentStatus;
import io.breachwatch.topology.TopologyHarness;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import java.util.stream.Stream;

import static io.breachwatch.topology.TopologyHarness.minutes;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * What every windowed rule promises, run against each rule in the full topology: window 10 min hopping by
 * 1 min, grace 1 min, threshold 5; one "unit" is one event that raises the rule's observed value by one.
 */
class WindowedRuleContractTest {

    /** One rule under test: how to make its i-th unit event for an actor ({@code who} is a user or an IP). */
    record Rule(String id, String a, String b, UnitEvent unit, Map<String, String> extra) {
        Rule(String id, String a, String b, UnitEvent unit) {
            this(id, a, b, unit, Map.of());
        }

        AccessEvent make(int i, String who, Instant ts) {
            return unit.make(i, who, ts);
        }

        String entity(String who) {
            return TopologyHarness.TENANT + "/" + who;
        }

        /** Only this rule runs, so every incident is its own. */
        Map<String, String> settings() {
            var p = "detect." + id + ".";
            var settings = new java.util.HashMap<>(extra);
            settings.putAll(Map.of(p + "window", "10m", p + "advance", "1m", p + "grace", "1m", p + "threshold", "5"));
            return TopologyHarness.only(settings, id);
        }

        /** {@code n} units by {@code who}, one every {@code everyMinutes} from {@code start} minutes after T0. */
        List<AccessEvent> burst(String who, double start, int n, double everyMinutes) {
            return IntStream.range(0, n).mapToObj(i -> make(i, who, minutes(start + i * everyMinutes))).toList();
        }

        @Override
        public String toString() {
            return id;
        }
    }

    interface UnitEvent {
        AccessEvent make(int i, String who, Instant ts);
    }

    static Stream<Rule> rules() {
        return Stream.of(
                new Rule(BulkExportDetector.RULE, "u-1", "u-2", (i, who, ts) -> TopologyHarness.export(who, ts, 1)),
                new Rule(RecordEnumerationDetector.RULE, "u-1", "u-2", (i, who, ts) -> TopologyHarness.view(who, "c-" + i, ts)),
                new Rule(AccessDeniedBurstDetector.RULE, "u-1", "u-2", (i, who, ts) -> TopologyHarness.denied(who, ts)),
                new Rule(CredentialStuffingDetector.RULE, "10.9.0.1", "10.9.0.2", (i, who, ts) -> TopologyHarness.loginFailed("u-" + i, who, ts)),
                new Rule(SensitiveDataAccessDetector.RULE, "u-1", "u-2",
                        (i, who, ts) -> TopologyHarness.event(who, ts).setFields(List.of("name", "id_card_number")).build()),
                new Rule(OffHoursExportDetector.RULE, "u-1", "u-2", (i, who, ts) -> TopologyHarness.export(who, ts, 1),
                        Map.of("detect.off-hours-export.working-hours", "UTC:MON-FRI:00:00-01:00")),
                new Rule(CrossBorderTransferDetector.RULE, "u-1", "u-2",
                        (i, who, ts) -> AccessEvent.newBuilder(TopologyHarness.export(who, ts, 1)).setDestinationCountry("US").build()));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("rules")
    void firesAboveThreshold(Rule rule) {
        try (var h = TopologyHarness.start(rule.settings())) {
            var incidents = h.send(rule.burst(rule.a(), 0, 6, 1)).incidents();

            assertThat(incidents).hasSize(1);
            var incident = incidents.get(0);
            assertThat(incident.getRuleId()).isEqualTo(rule.id());
            assertThat(incident.getEntity()).isEqualTo(rule.entity(rule.a()));
            assertThat(incident.getIncidentId()).startsWith(rule.id() + "-");
            assertThat(incident.getRevision()).isEqualTo(1);
            assertThat(incident.getStatus()).isEqualTo(IncidentStatus.NEW);
            assertThat(incident.getObserved()).isEqualTo(6.0);
            assertThat(incident.getThreshold()).isEqualTo(5.0);
            assertThat(incident.getEventCount()).isEqualTo(6);
            assertThat(incident.getFirstSeen()).isEqualTo(minutes(0));
            assertThat(incident.getLastSeen()).isEqualTo(minutes(5));
            assertThat(incident.getEvidenceEventIds()).hasSize(6);
            assertThat(incident.getSummary()).contains(" 6 ", "threshold 5", "10 min", "10:00 and 10:05 UTC");
            assertThat(h.counter(MetricNames.INCIDENTS_EMITTED, "rule", rule.id())).isEqualTo(1);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("rules")
    void silentAtAndBelowThreshold(Rule rule) {
        try (var h = TopologyHarness.start(rule.settings())) {
            h.send(rule.burst(rule.a(), 0, 5, 1));
            h.send(rule.burst(rule.b(), 0, 4, 1));

            assertThat(h.incidents()).isEmpty();
            assertThat(h.incidentStore().approximateNumEntries()).isZero();
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("rules")
    void countsOnlyEventsInsideOneWindow(Rule rule) {
        var fiveUnits = rule.burst(rule.a(), 0, 5, 1);
        try (var h = TopologyHarness.start(rule.settings())) {
            h.send(fiveUnits).send(rule.make(5, rule.a(), minutes(10)));
            assertThat(h.incidents()).as("sixth unit exactly one window after the first").isEmpty();
        }
        try (var h = TopologyHarness.start(rule.settings())) {
            h.send(fiveUnits).send(rule.make(5, rule.a(), minutes(10).minusMillis(1)));
            assertThat(h.incidents()).as("sixth unit 1 ms inside the window").hasSize(1)
                    .allSatisfy(i -> assertThat(i.getWindowStart()).isEqualTo(minutes(0)));
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("rules")
    void ignoresLateEventsBeyondGraceAndCountsThem(Rule rule) {
        try (var h = TopologyHarness.start(rule.settings())) {
            h.send(rule.make(0, rule.b(), minutes(60)));
            h.send(rule.burst(rule.a(), 0, 6, 1));

            assertThat(h.incidents()).isEmpty();
            assertThat(h.counter(MetricNames.EVENTS_LATE, "rule", rule.id())).isEqualTo(6);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("rules")
    void acceptsLateEventsWithinGrace(Rule rule) {
        try (var h = TopologyHarness.start(rule.settings())) {
            h.send(rule.burst(rule.a(), 0, 5, 1));
            h.send(rule.make(0, rule.b(), minutes(10.5)));
            h.send(rule.make(5, rule.a(), minutes(5)));

            assertThat(h.incidents()).hasSize(1);
            assertThat(h.counter(MetricNames.EVENTS_LATE, "rule", rule.id())).isZero();
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("rules")
    void firesOnceForOngoingBurst(Rule rule) {
        try (var h = TopologyHarness.start(rule.settings())) {
            // the burst, then unrelated traffic 10 minutes later: stream time passes the update interval
            var incidents = h.send(rule.burst(rule.a(), 0, 60, 0.5)).send(rule.burst(rule.b(), 40, 1, 1)).incidents();

            assertThat(incidents).isNotEmpty();
            assertThat(incidents).extracting(Incident::getIncidentId).containsOnly(incidents.get(0).getIncidentId());
            var revisions = incidents.stream().map(Incident::getRevision).toList();
            assertThat(revisions).first().isEqualTo(1);
            assertThat(revisions).isSorted().doesNotHaveDuplicates();
            var last = incidents.get(incidents.size() - 1);
            assertThat(last.getObserved()).as("peak window of a 30-min burst at 2/min").isEqualTo(20.0);
            assertThat(last.getLastSeen()).isEqualTo(minutes(29.5));
            assertThat(h.counter(MetricNames.INCIDENTS_EMITTED, "rule", rule.id())).isEqualTo(1);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("rules")
    void opensNewIncidentAfterQuietPeriod(Rule rule) {
        try (var h = TopologyHarness.start(rule.settings())) {
            var incidents = h.send(rule.burst(rule.a(), 0, 6, 1)).send(rule.burst(rule.a(), 180, 6, 1)).incidents();

            assertThat(incidents).extracting(Incident::getIncidentId).doesNotHaveDuplicates().hasSize(2);
            assertThat(incidents).extracting(Incident::getRevision).containsOnly(1);
            assertThat(h.incidentStore().approximateNumEntries()).isEqualTo(2);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("rules")
    void identicalInputGivesIdenticalIncidents(Rule rule) {
        var events = new ArrayList<>(rule.burst(rule.a(), 0, 30, 1));
        events.addAll(rule.burst(rule.b(), 3, 12, 0.5));
        events.addAll(rule.burst(rule.a(), 200, 8, 1));

        assertThat(idsAndRevisions(rule, events)).isNotEmpty().isEqualTo(idsAndRevisions(rule, events));
    }

    private static List<String> idsAndRevisions(Rule rule, List<AccessEvent> events) {
        try (var h = TopologyHarness.start(rule.settings())) {
            return h.send(events).incidents().stream().map(i -> i.getIncidentId() + "#" + i.getRevision()).toList();
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("rules")
    void storesHoldTheLatestRevision(Rule rule) {
        try (var h = TopologyHarness.start(rule.settings())) {
            var incidents = h.send(rule.burst(rule.a(), 0, 20, 0.5)).incidents();
            var last = incidents.get(incidents.size() - 1);

            assertThat(h.incidentStore().get(last.getIncidentId())).isEqualTo(last);
            var open = h.caseStore().get(Finding.caseKey(rule.id(), rule.entity(rule.a())));
            assertThat(open.getIncidentId()).isEqualTo(last.getIncidentId());
            assertThat(open.getRevision()).isEqualTo(last.getRevision());
            assertThat(h.window(rule.id(), rule.entity(rule.a()), minutes(0)).eventCount()).as("window [10:00, 10:10)").isEqualTo(20);
        }
    }
}
