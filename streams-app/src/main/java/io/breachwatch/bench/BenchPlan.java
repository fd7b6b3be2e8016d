package io.breachwatch.bench;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * What one {@code breachwatch bench} run measures, and at which sizes. Every size is an option so the harness
 * can be debugged small and the full run made later; {@link #validate()} names every bad value at once.
 *
 * @param phases             which measurements to make
 * @param events             events preloaded for the throughput runs
 * @param users              distinct users in those events
 * @param templateUsers      accounts actually simulated; each is dealt round-robin to users/templateUsers clones
 * @param partitions         partitions of the input topics
 * @param runs               throughput runs of each kind, and replay runs (the median is reported)
 * @param latencyRates       events/s fed in the latency runs
 * @param latencySeconds     how long each latency run feeds and times
 * @param latencyWarmupSeconds how long each latency run feeds at the same rate before timing starts (JIT, caches); the
 *                             feed then goes on until the app has caught up ({@link LatencyProbe#MAX_CATCH_UP_SECONDS})
 * @param latencyUsers       accounts simulated for the latency runs
 * @param scaleUsers         distinct users in the state-scale run
 * @param scaleDays          simulated days of the state-scale run
 * @param scaleEvents        events of the state-scale run
 * @param scaleTemplateUsers accounts simulated for the state-scale run (cloned up to scaleUsers)
 * @param replayEvents       events replayed offline
 * @param maxSeconds         bound on each measured run; past it the partial rate is reported as "did not finish"
 * @param jfr                run the Breachwatch JVMs under Java Flight Recorder and print their top frames
 * @param appJvmOptions      extra JVM options of the Breachwatch child JVMs (e.g. -Xmx1g)
 * @param seed               simulator seed
 * @param outDir             where results.md, logs, recordings and state go
 */
public record BenchPlan(Set<Phase> phases, long events, int users, int templateUsers, int partitions, int runs,
                        List<Integer> latencyRates, int latencySeconds, int latencyWarmupSeconds, int latencyUsers,
                        int scaleUsers, int scaleDays, long scaleEvents, int scaleTemplateUsers,
                        long replayEvents, int maxSeconds, boolean jfr, List<String> appJvmOptions, long seed, Path outDir) {

    /** The simulator needs at least 5 accounts per tenant, and the bench simulates 3 tenants. */
    public static final int TENANTS = 3;
    static final int MIN_USERS = TENANTS * 5;

    public enum Phase { THROUGHPUT, LATENCY, SCALE, REPLAY }

    public BenchPlan {
        phases = phases.isEmpty() ? Set.of() : Set.copyOf(EnumSet.copyOf(phases));
        latencyRates = List.copyOf(latencyRates);
        appJvmOptions = List.copyOf(appJvmOptions);
    }

    /** The sizes: 2M events of 100k users, 1k and 5k events/s, 1M users over 30 days, 2M events replayed. */
    public static BenchPlan defaults(Path outDir) {
        return new BenchPlan(EnumSet.allOf(Phase.class), 2_000_000, 100_000, 20_000, 4, 3, List.of(1_000, 5_000), 60, 30, 10_000,
                1_000_000, 30, 5_000_000, 2_000, 2_000_000, 1_800, false, List.of(), 42, outDir);
    }

    /** Every problem with the plan, each naming its option; empty when the plan is valid. */
    public List<String> problems() {
        var problems = new ArrayList<String>();
        if (phases.isEmpty()) {
            problems.add("--phases: choose at least one of throughput, latency, scale, replay");
        }
        check(problems, events >= 1_000, "--events must be >= 1000, was " + events);
        check(problems, users >= MIN_USERS, "--users must be >= " + MIN_USERS + " (5 per tenant), was " + users);
        check(problems, templateUsers >= MIN_USERS, "--template-users must be >= " + MIN_USERS + ", was " + templateUsers);
        check(problems, partitions >= 1 && partitions <= 64, "--partitions must be 1..64, was " + partitions);
        check(problems, runs >= 1 && runs <= 9, "--runs must be 1..9, was " + runs);
        check(problems, !latencyRates.isEmpty(), "--latency-rates: give at least one rate");
        for (int rate : latencyRates) {
            check(problems, rate >= 1 && rate <= 200_000, "--latency-rates: each rate must be 1..200000 events/s, was " + rate);
        }
        check(problems, latencySeconds >= 5, "--latency-seconds must be >= 5, was " + latencySeconds);
        check(problems, latencyWarmupSeconds >= 0, "--latency-warmup-seconds must be >= 0, was " + latencyWarmupSeconds);
        check(problems, latencyUsers >= MIN_USERS, "--latency-users must be >= " + MIN_USERS + ", was " + latencyUsers);
        check(problems, scaleTemplateUsers >= MIN_USERS, "--scale-template-users must be >= " + MIN_USERS + ", was " + scaleTemplateUsers);
        check(problems, scaleUsers >= scaleTemplateUsers, "--scale-users (" + scaleUsers + ") must be >= --scale-template-users (" + scaleTemplateUsers + ")");
        check(problems, scaleDays >= 1 && scaleDays <= 365, "--scale-days must be 1..365, was " + scaleDays);
        check(problems, scaleEvents >= scaleUsers, "--scale-events (" + scaleEvents + ") must be >= --scale-users (" + scaleUsers + "): every user needs an event");
        check(problems, replayEvents >= 1_000, "--replay-events must be >= 1000, was " + replayEvents);
        check(problems, maxSeconds >= 10, "--max-seconds must be >= 10, was " + maxSeconds);
        return problems;
    }

    /** Throws IllegalArgumentException listing every problem. */
    public BenchPlan validate() {
        var problems = problems();
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException(String.join("; ", problems));
        }
        return this;
    }

    /** The accounts simulated for the throughput events: never more than the users wanted. */
    public int throughputTemplateUsers() {
        return Math.min(users, templateUsers);
    }

    private static void check(List<String> problems, boolean ok, String problem) {
        if (!ok) {
            problems.add(problem);
        }
    }
}
