package io.breachwatch.bench;

import io.breachwatch.schema.AccessEvent;
import io.breachwatch.sim.ScenarioKind;
import io.breachwatch.sim.ScenarioLabel;
import io.breachwatch.sim.SimConfig;
import io.breachwatch.sim.Simulator;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Set;
import java.util.SplittableRandom;

/**
 * The bench's events: the simulator's realistic mix (all scenario kinds injected), sized to a number of events
 * and of distinct users without simulating every account.
 *
 * <p>{@code templateUsers} accounts are simulated over {@code days}; benign events are kept with probability
 * {@code keep} (seeded, so the same options give the same events); each simulated account's kept events are dealt
 * round-robin to {@code users / templateUsers} clones ({@code t01.u42}, {@code t01.u42.c1}, ...), so the stream
 * has about {@code users} distinct users with the simulator's action mix. Injected scenarios are kept whole with the
 * same probability (so scenario and benign events keep the simulator's proportion): a kept scenario's actor is never
 * cloned and its events never dropped, so the breach keeps its shape. The stream stops after {@code limit} events.
 */
public final class BenchEvents implements Iterator<AccessEvent> {
    /** Simulated events per account on a working day (measured: 104 on a Friday to 134 on a Monday). */
    static final double EVENTS_PER_USER_WORKDAY = 120;
    /** ... and on a Saturday or Sunday (measured: about 1.7). */
    static final double EVENTS_PER_USER_WEEKEND_DAY = 2;

    private final Iterator<AccessEvent> source;
    private final long limit;
    private final double keep;
    private final int clones;
    private final SplittableRandom random;
    private final Set<String> scenarioUsers = new HashSet<>();
    private final Set<String> scenarioIps = new HashSet<>();
    private final List<ScenarioLabel> labels;
    private final Map<String, Integer> dealt = new HashMap<>();
    private AccessEvent next;
    private long emitted;

    /**
     * @param users     distinct users wanted (at least templateUsers)
     * @param start     first simulated instant
     * @param every     null: scenarios spread over the days; else one scenario every so often (latency runs)
     */
    public BenchEvents(long seed, int users, int templateUsers, int days, Instant start, long limit, double keep, Duration every) {
        var config = SimConfig.of(seed, templateUsers, BenchPlan.TENANTS, days).withStart(start);
        if (every != null) {
            config = config.withScenarioEvery(every.dividedBy(2), every);
        }
        var simulator = new Simulator(config.withScenarios(EnumSet.allOf(ScenarioKind.class)));
        var scenarioDice = new SplittableRandom(seed + 1);
        this.labels = simulator.labels().stream().filter(label -> keep >= 1.0 || scenarioDice.nextDouble() < keep).toList();
        for (var label : labels) {
            (label.actorIsIp() ? scenarioIps : scenarioUsers).add(label.actor());
        }
        this.source = simulator.events();
        this.limit = limit;
        this.keep = keep;
        this.clones = Math.max(1, users / templateUsers);
        this.random = new SplittableRandom(seed);
    }

    /** Events of {@code users} distinct users over {@code days} from a recent Monday ({@link #recentMonday}). */
    public static BenchEvents forSize(long seed, long events, int users, int templateUsers, int days) {
        double keep = Math.min(1.0, 1.15 * events / expectedEvents(templateUsers, days)); // 15 % spare: the limit ends it
        return new BenchEvents(seed, users, templateUsers, days, recentMonday(days), events, keep, null);
    }

    /** About how many events the simulator makes for {@code templateUsers} accounts over {@code days} from a Monday. */
    static double expectedEvents(int templateUsers, int days) {
        double perUser = 0;
        for (int day = 0; day < days; day++) {
            perUser += day % 7 < 5 ? EVENTS_PER_USER_WORKDAY : EVENTS_PER_USER_WEEKEND_DAY;
        }
        return perUser * templateUsers;
    }

    /** The smallest number of simulated days from a Monday whose events reach {@code events} with {@code templateUsers} accounts. */
    public static int daysFor(long events, int templateUsers) {
        int days = 1;
        while (expectedEvents(templateUsers, days) < events && days < 3650) {
            days++;
        }
        return days;
    }

    /**
     * Midnight (Asia/Shanghai) of the latest Monday at least {@code days + 1} days ago: the simulated traffic starts
     * on a working day, ends before today, and is recent enough for the app's default validation bounds (400 days).
     */
    static Instant recentMonday(int days) {
        return LocalDate.now(SimConfig.ZONE).minusDays(days + 1L).with(java.time.temporal.TemporalAdjusters.previousOrSame(java.time.DayOfWeek.MONDAY))
                .atTime(LocalTime.MIDNIGHT).atZone(SimConfig.ZONE).toInstant();
    }

    /** The injected scenarios kept. */
    public List<ScenarioLabel> labels() {
        return labels;
    }

    /** Distinct users emitted so far (clones included). */
    public long distinctUsers() {
        return dealt.values().stream().mapToLong(n -> Math.min(n, clones)).sum() + scenarioUsers.size();
    }

    public long emitted() {
        return emitted;
    }

    @Override
    public boolean hasNext() {
        while (next == null && emitted < limit && source.hasNext()) {
            next = transform(source.next());
        }
        return next != null;
    }

    @Override
    public AccessEvent next() {
        if (!hasNext()) {
            throw new NoSuchElementException();
        }
        var event = next;
        next = null;
        emitted++;
        return event;
    }

    /** The event as emitted, or null when sampled out. */
    private AccessEvent transform(AccessEvent event) {
        var user = event.getUserId();
        if (scenarioUsers.contains(user) || (event.getSourceIp() != null && scenarioIps.contains(event.getSourceIp()))) {
            return event;
        }
        if (keep < 1.0 && random.nextDouble() >= keep) {
            return null;
        }
        int n = dealt.merge(user, 1, Integer::sum);
        int clone = (n - 1) % clones;
        return clone == 0 ? event : AccessEvent.newBuilder(event).setUserId(user + ".c" + clone).build();
    }
}
