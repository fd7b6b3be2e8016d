package io.breachwatch.sim;

import io.breachwatch.config.Settings;
import io.breachwatch.detect.CrossBorderTransferDetector;
import io.breachwatch.detect.OffHoursExportDetector;
import io.breachwatch.detect.SensitiveDataAccessDetector;
import io.breachwatch.schema.AccessEvent;
import io.breachwatch.schema.Action;
import io.breachwatch.schema.Outcome;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.function.Predicate;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Checks the simulator against the detectors' default rules with a reference computation over hopping
 * windows (size/6 advance, close to sliding): every scenario clearly exceeds its rule, every benign key stays
 * clearly below. So the end-to-end tests can only fail if detection, not the data, is wrong.
 */
class SimulatorTest {
    private static final Duration HOUR = Duration.ofHours(1);
    private static final Duration TEN_MINUTES = Duration.ofMinutes(10);
    private static Simulator sim;
    private static List<AccessEvent> events;

    @BeforeAll
    static void generateAWeek() {
        sim = new Simulator(SimConfig.of(7, 500, 3, 7));
        events = new ArrayList<>();
        sim.events().forEachRemaining(events::add);
    }

    @Test
    void isDeterministicAndOrderedByTimestamp() {
        var again = new Simulator(SimConfig.of(7, 500, 3, 7)).stream().limit(20_000).toList();
        assertThat(again).isEqualTo(events.subList(0, 20_000));
        for (int i = 1; i < events.size(); i++) {
            assertThat(events.get(i).getTimestamp()).isAfterOrEqualTo(events.get(i - 1).getTimestamp());
        }
        assertThat(events.stream().map(AccessEvent::getEventId).distinct().count()).isEqualTo(events.size());
        System.err.printf("7 days, 500 users, 3 tenants: %d events, %d scenarios%n", events.size(), sim.labels().size());
    }

    @Test
    void labelsOneScenarioOfEachKindPerTenantWithDistinctActors() {
        var labels = sim.labels();
        assertThat(labels).hasSize(3 * ScenarioKind.values().length);
        assertThat(labels).extracting(ScenarioLabel::actor).doesNotHaveDuplicates();
        for (var label : labels) {
            assertThat(label.start()).isBefore(label.end());
            assertThat(ScenarioLabel.fromJson(label.toJson())).isEqualTo(label);
        }
    }

    @Test
    void followsOfficeHoursInShanghai() {
        var logins = events.stream().filter(e -> e.getAction() == Action.LOGIN && !e.getUserId().contains("svc"))
                .map(e -> e.getTimestamp().atZone(SimConfig.ZONE)).toList();
        var weekdayMorning = logins.stream().filter(t -> t.getDayOfWeek().getValue() <= 5 && t.getHour() >= 8 && t.getHour() <= 10).count();
        assertThat(weekdayMorning).isGreaterThan(logins.size() * 8L / 10);
    }

    @Test
    void bulkExportScenariosExceedAndBenignStaysBelow() {
        var sums = maxOverWindows(e -> e.getAction() == Action.EXPORT || e.getAction() == Action.BULK_API || e.getAction() == Action.REPORT_RUN,
                AccessEvent::getUserId, HOUR, (acc, e) -> acc.sum += e.getRecordCount());
        assertRule("bulk-export", sums, 10_000);
    }

    @Test
    void enumerationScenariosExceedAndBenignStaysBelow() {
        var distinct = maxOverWindows(e -> (e.getAction() == Action.VIEW || e.getAction() == Action.LIST_VIEW || e.getAction() == Action.SEARCH)
                && e.getCustomerId() != null, AccessEvent::getUserId, HOUR, (acc, e) -> acc.add(e.getCustomerId()));
        assertRule("record-enumeration", distinct, 200);
    }

    @Test
    void deniedBurstScenariosExceedAndBenignStaysBelow() {
        var counts = maxOverWindows(e -> e.getOutcome() == Outcome.DENIED, AccessEvent::getUserId, TEN_MINUTES, (acc, e) -> acc.sum++);
        assertRule("access-denied-burst", counts, 20);
    }

    @Test
    void credentialStuffingScenariosExceedAndBenignStaysBelow() {
        var distinct = maxOverWindows(e -> e.getAction() == Action.LOGIN_FAILED && e.getSourceIp() != null,
                AccessEvent::getSourceIp, TEN_MINUTES, (acc, e) -> acc.add(e.getUserId()));
        assertRule("credential-stuffing", distinct, 10);
    }

    @Test
    void sensitiveDataScenariosExceedAndBenignReadNoneTheirRoleMayNot() {
        var rule = SensitiveDataAccessDetector.from(Settings.empty());
        assertPolicyRule(rule.ruleId(), maxOverWindows(rule::counts, AccessEvent::getUserId, HOUR, (acc, e) -> acc.sum += e.getRecordCount()), 20);
    }

    @Test
    void offHoursScenariosExceedAndBenignStaysBelow() {
        var rule = OffHoursExportDetector.from(Settings.empty());
        assertPolicyRule(rule.ruleId(), maxOverWindows(rule::counts, AccessEvent::getUserId, HOUR, (acc, e) -> acc.sum += e.getRecordCount()), 5_000);
    }

    @Test
    void crossBorderScenariosSendAbroadAndBenignNever() {
        var rule = CrossBorderTransferDetector.from(Settings.empty());
        assertPolicyRule(rule.ruleId(), maxOverWindows(rule::counts, AccessEvent::getUserId, HOUR, (acc, e) -> acc.sum += e.getRecordCount()), 0);
    }

    /**
     * A policy rule's scenario actors clearly exceed its default threshold (by half at least, and one record above a
     * zero floor) and no benign account reaches it; actors of other scenarios may (one breach trips several rules).
     */
    private static void assertPolicyRule(String rule, Map<String, Long> maxByActor, long threshold) {
        var actors = new HashSet<String>();
        sim.labels().stream().filter(l -> l.expectedRule().equals(rule)).forEach(l -> actors.add(l.actor()));
        var anyScenario = new HashSet<String>();
        sim.labels().forEach(l -> anyScenario.add(l.actor()));
        assertThat(actors).hasSize(3);
        for (var actor : actors) {
            assertThat(maxByActor.getOrDefault(actor, 0L)).as("scenario actor %s for %s", actor, rule)
                    .isGreaterThan(threshold * 3 / 2);
        }
        maxByActor.forEach((actor, max) -> {
            if (!anyScenario.contains(actor)) {
                assertThat(max).as("benign %s for %s", actor, rule).isLessThanOrEqualTo(threshold * 9 / 10);
            }
        });
    }

    @Test
    void exportSpikeScenariosExportTwentyThousandRowsInADayWhileStayingBelowBulkExport() {
        var daily = new HashMap<String, Long>();
        events.stream().filter(e -> e.getAction() == Action.EXPORT || e.getAction() == Action.BULK_API || e.getAction() == Action.REPORT_RUN)
                .forEach(e -> daily.merge(e.getUserId() + "@" + e.getTimestamp().atZone(SimConfig.ZONE).toLocalDate(), e.getRecordCount(), Long::sum));
        var spikes = sim.labels().stream().filter(l -> l.kind() == ScenarioKind.EXPORT_SPIKE).toList();
        assertThat(spikes).hasSize(3);
        for (var label : spikes) {
            var day = label.start().atZone(SimConfig.ZONE).toLocalDate();
            assertThat(daily.get(label.actor() + "@" + day)).as("%s on %s", label.actor(), day).isGreaterThanOrEqualTo(20_000);
        }
    }

    private static void assertRule(String rule, Map<String, Long> maxByActor, long threshold) {
        var actors = new HashSet<String>();
        sim.labels().stream().filter(l -> l.expectedRule().equals(rule)).forEach(l -> actors.add(l.actor()));
        assertThat(actors).isNotEmpty();
        for (var actor : actors) {
            assertThat(maxByActor.getOrDefault(actor, 0L)).as("scenario actor %s for %s", actor, rule).isGreaterThanOrEqualTo(2 * threshold);
        }
        maxByActor.forEach((actor, max) -> {
            if (!actors.contains(actor)) {
                assertThat(max).as("benign %s for %s", actor, rule).isLessThanOrEqualTo(threshold * 9 / 10);
            }
        });
    }

    private static final class Acc {
        long sum;
        final Set<String> distinct = new HashSet<>();

        void add(String value) {
            distinct.add(value);
        }

        long value() {
            return Math.max(sum, distinct.size());
        }
    }

    private interface Update {
        void apply(Acc acc, AccessEvent e);
    }

    /** Max of the aggregate per key over hopping windows of {@code size} advancing by size/6. */
    private static Map<String, Long> maxOverWindows(Predicate<AccessEvent> filter, Function<AccessEvent, String> key,
                                                    Duration size, Update update) {
        long advance = size.toMillis() / 6;
        var windows = new HashMap<String, Acc>();
        for (var e : events) {
            if (!filter.test(e)) {
                continue;
            }
            long t = e.getTimestamp().toEpochMilli();
            for (long start = t - Math.floorMod(t, advance); start > t - size.toMillis(); start -= advance) {
                update.apply(windows.computeIfAbsent(key.apply(e) + "@" + start, k -> new Acc()), e);
            }
        }
        var max = new HashMap<String, Long>();
        windows.forEach((k, acc) -> max.merge(k.substring(0, k.lastIndexOf('@')), acc.value(), Math::max));
        return max;
    }

    @Test
    void pacerDeliversInScaledTime() {
        var config = SimConfig.of(1, 20, 1, 1);
        var simulator = new Simulator(config);
        long t0 = System.nanoTime();
        var pacer = new Pacer(simulator.events(), config.start(), 3600.0 * 24 * 10, () -> false);
        int n = 0;
        while (pacer.hasNext()) {
            pacer.next();
            n++;
        }
        // a simulated day at 864,000x is 100 ms of wall time
        assertThat(Duration.ofNanos(System.nanoTime() - t0)).isGreaterThanOrEqualTo(Duration.ofMillis(80));
        assertThat(n).isPositive();
        assertThat(Instant.now()).isNotNull();
    }
}
