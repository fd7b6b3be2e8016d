package io.breachwatch.bench;

import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.stream.LongStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class BenchLogicTest {
    private static final BenchPlan DEFAULTS = BenchPlan.defaults(Path.of("target/bench"));

    @Test
    void percentilesAreNearestRankValuesThatWereMeasured() {
        var values = LongStream.rangeClosed(1, 100).boxed().toList();
        assertThat(Stats.percentile(values, 50)).isEqualTo(50);
        assertThat(Stats.percentile(values, 95)).isEqualTo(95);
        assertThat(Stats.percentile(values, 99)).isEqualTo(99);
        assertThat(Stats.percentile(values, 100)).isEqualTo(100);
        assertThat(Stats.percentile(List.of(7L, 3L, 5L), 99)).isEqualTo(7);
        assertThat(Stats.percentile(List.of(42L), 50)).isEqualTo(42);
    }

    @Test
    void medianOfThreeRunsIsTheMiddleOneAndOfTwoTheMean() {
        assertThat(Stats.median(List.of(300.0, 100.0, 200.0))).isEqualTo(200.0);
        assertThat(Stats.median(List.of(100.0, 200.0))).isEqualTo(150.0);
    }

    @Test
    void percentileOfNothingOrOutOfRangeIsRefused() {
        assertThatThrownBy(() -> Stats.percentile(List.of(), 50)).hasMessageContaining("no values");
        assertThatThrownBy(() -> Stats.percentile(List.of(1L), 0)).hasMessageContaining("(0, 100]");
    }

    @Test
    void tableHasOneRowPerFigureAndEscapesPipes() {
        var md = ResultsTable.markdown(List.of(
                Figure.against("ratio b/a", "0.70x", ">= 0.6x", true, "load 1.0"),
                Figure.info("heap", "300 MiB", "a|b\nc")));
        assertThat(md.lines()).containsExactly(
                "| figure | value | goal | verdict | notes |",
                "|---|---|---|---|---|",
                "| ratio b/a | 0.70x | >= 0.6x | met | load 1.0 |",
                "| heap | 300 MiB |  |  | a\\|b c |");
    }

    @Test
    void formatsRatesAndSizesWithUnits() {
        assertThat(ResultsTable.rate(12345.6)).isEqualTo("12,346 events/s");
        assertThat(ResultsTable.mebibytes(3L << 20)).isEqualTo("3 MiB");
        assertThat(ResultsTable.millis(1500)).isEqualTo("1,500 ms");
    }

    @Test
    void defaultPlanIsTheIssuesSizesAndValid() {
        assertThat(DEFAULTS.problems()).isEmpty();
        assertThat(DEFAULTS.events()).isEqualTo(2_000_000);
        assertThat(DEFAULTS.users()).isEqualTo(100_000);
        assertThat(DEFAULTS.partitions()).isEqualTo(4);
        assertThat(DEFAULTS.runs()).isEqualTo(3);
        assertThat(DEFAULTS.latencyRates()).containsExactly(1_000, 5_000);
        assertThat(DEFAULTS.scaleUsers()).isEqualTo(1_000_000);
        assertThat(DEFAULTS.scaleDays()).isEqualTo(30);
        assertThat(DEFAULTS.replayEvents()).isEqualTo(2_000_000);
    }

    @Test
    void badSizesAreAllNamedByTheirOption() {
        var plan = new BenchPlan(EnumSet.noneOf(BenchPlan.Phase.class), 10, 3, 1_000, 0, 0, List.of(0), 1, -1, 5,
                100, 0, 10, 200, 5, 1, false, List.of(), 1, Path.of("x"));
        assertThat(plan.problems()).anySatisfy(p -> assertThat(p).startsWith("--phases"))
                .anySatisfy(p -> assertThat(p).startsWith("--events must be >= 1000"))
                .anySatisfy(p -> assertThat(p).startsWith("--users must be >= 15"))
                .anySatisfy(p -> assertThat(p).startsWith("--partitions"))
                .anySatisfy(p -> assertThat(p).startsWith("--runs"))
                .anySatisfy(p -> assertThat(p).startsWith("--latency-rates"))
                .anySatisfy(p -> assertThat(p).startsWith("--latency-seconds"))
                .anySatisfy(p -> assertThat(p).startsWith("--latency-warmup-seconds"))
                .anySatisfy(p -> assertThat(p).startsWith("--scale-users (100) must be >= --scale-template-users (200)"))
                .anySatisfy(p -> assertThat(p).startsWith("--scale-days"))
                .anySatisfy(p -> assertThat(p).startsWith("--replay-events"))
                .anySatisfy(p -> assertThat(p).startsWith("--max-seconds"));
        assertThatThrownBy(plan::validate).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("; ");
    }

    @Test
    void badOptionsExitTwoNamingTheOptionBeforeAnythingStarts() {
        var err = new java.io.StringWriter();
        int code = io.breachwatch.app.Main.execute(new String[]{"bench", "--runs", "0", "--phases", "throughput,replay"},
                java.util.Map.of(), new java.io.PrintWriter(new java.io.StringWriter()), new java.io.PrintWriter(err, true));
        assertThat(code).isEqualTo(io.breachwatch.app.Main.EXIT_CONFIG);
        assertThat(err.toString()).contains("bench: --runs must be 1..9, was 0");

        var phaseErr = new java.io.StringWriter();
        code = io.breachwatch.app.Main.execute(new String[]{"bench", "--phases", "speed"},
                java.util.Map.of(), new java.io.PrintWriter(new java.io.StringWriter()), new java.io.PrintWriter(phaseErr, true));
        assertThat(code).isEqualTo(io.breachwatch.app.Main.EXIT_CONFIG);
        assertThat(phaseErr.toString()).contains("--phases: unknown phase 'speed'");
    }

    private static final LatencyProbe.Warmup NO_WARMUP = new LatencyProbe.Warmup(0, false, List.of(), List.of());

    @Test
    void latencyFigureHoldsP99AgainstTheGoalOnlyAtFiveThousandPerSecond() {
        var latencies = LongStream.rangeClosed(1, 100).map(i -> i * 10).boxed().toList(); // 10..1000 ms
        var at5k = Benchmark.latencyFigure(new LatencyProbe.Result(5_000, 300_000, 60, latencies, 2, 0, Map.of(), List.of(), List.of(), List.of(), List.of(), NO_WARMUP), 10_000, Duration.ofMinutes(10), "1.0");
        assertThat(at5k.value()).isEqualTo("p50 500 ms, p95 950 ms, p99 990 ms, max 1,000 ms");
        assertThat(at5k.verdict()).isEqualTo(Figure.MISSED);
        assertThat(at5k.notes()).contains("100 incidents timed, 2 not matched");
        var at1k = Benchmark.latencyFigure(new LatencyProbe.Result(1_000, 60_000, 60, latencies, 0, 0, Map.of(), List.of(), List.of(), List.of(), List.of(), NO_WARMUP), 10_000, Duration.ofMinutes(10), "1.0");
        assertThat(at1k.goal()).isEmpty();
        assertThat(at1k.verdict()).isEmpty();
    }

    @Test
    void latencyFigureBreaksTheTimesDownByRuleAndWritten() {
        var byRule = Map.of("bulk-export", List.of(100L, 300L, 200L), "session-hijack", List.of(4_000L));
        var figure = Benchmark.latencyFigure(new LatencyProbe.Result(1_000, 60_000, 60, List.of(100L, 200L, 300L, 4_000L), 0, 0,
                new java.util.TreeMap<>(byRule), List.of(1L, 2L, 3L, 4L), List.of(50L, 60L, 70L, 3_900L), List.of(0L, 10L, 2_000L),
                List.of(new LatencyProbe.Timed("session-hijack", 4_000, 4, 3_900, 12.34), new LatencyProbe.Timed("bulk-export", 300, 3, 70, 0.5)),
                new LatencyProbe.Warmup(30, true, List.of(5_000L), List.of(100L, 6_000L, 30L))), 10_000, Duration.ofMinutes(10), "1.0");
        assertThat(figure.notes()).endsWith("; by rule (incidents: p50, max): bulk-export 3: p50 200 ms, max 300 ms; "
                + "session-hijack 1: p50 4,000 ms, max 4,000 ms"
                + "; of which event sent to acknowledged by the broker: p50 2 ms, p99 4 ms, max 4 ms"
                + "; to incident appended (the broker's append time, before the commit): p50 60 ms, p99 3,900 ms, max 3,900 ms"
                + "; app behind while timed (events, every 200 ms): p50 10, p99 2,000, max 2,000"
                + "; slowest: session-hijack 4,000 ms (appended at 3,900 ms, event sent at 12.3 s), bulk-export 300 ms (appended at 70 ms, event sent at 0.5 s)"
                + "; not timed: a warm-up at the same rate first (fresh app JVM) of 30 s, until the app had caught up (at most 0.5 s of events"
                + " behind for 1 s), during which the app was behind by up to 6,000 events and 1 incidents took p50 5,000 ms, p99 5,000 ms, max 5,000 ms");

        var stillBehind = Benchmark.latencyFigure(new LatencyProbe.Result(5_000, 300_000, 180, List.of(100L), 0, 0, Map.of(), List.of(), List.of(),
                List.of(), List.of(), new LatencyProbe.Warmup(120.4, false, List.of(), List.of(90_000L))), 10_000, Duration.ofMinutes(10), "1.0");
        assertThat(stillBehind.notes()).contains("a warm-up at the same rate first (fresh app JVM) of 120 s, when the app had still not caught up"
                + " (90 s allowed past the set warm-up)");
    }

    @Test
    void onlyBenchAppVariablesReachTheAppUnderTestWithoutTheirPrefix() {
        var env = Map.of("BENCH_APP_KAFKA_PRODUCER_RETRY_BACKOFF_MS", "10", "BENCH_APP_", "ignored",
                "KAFKA_BOOTSTRAP_SERVERS", "elsewhere:9092", "HOME", "/root");
        assertThat(AppUnderTest.appSettings(env)).containsExactly(Map.entry("KAFKA_PRODUCER_RETRY_BACKOFF_MS", "10"));
    }

    @Test
    void heapIsTheSumOfTheHeapPoolsOnMetrics() {
        var text = """
                # TYPE jvm_memory_used_bytes gauge
                jvm_memory_used_bytes{area="heap",id="G1 Eden Space"} 1.0E8
                jvm_memory_used_bytes{area="heap",id="G1 Old Gen"} 5.0E7
                jvm_memory_used_bytes{area="nonheap",id="Metaspace"} 9.0E7
                """;
        assertThat(AppUnderTest.parseHeapUsed(text)).hasValue(150_000_000L);
        assertThat(AppUnderTest.parseHeapUsed("up 1")).isEmpty();
    }

    @Test
    void benchEventsReachTheWantedUsersWithClonesAndStopAtTheLimit() {
        var events = BenchEvents.forSize(7, 20_000, 400, 100, 3);
        long count = 0;
        var users = new java.util.HashSet<String>();
        while (events.hasNext()) {
            users.add(events.next().getUserId());
            count++;
        }
        assertThat(count).isEqualTo(20_000);
        assertThat(users.size()).isBetween(300, 450);
        assertThat(events.distinctUsers()).isBetween(300L, 450L);
    }

    @Test
    void onlyKafkaStreamsProcessingThreadsCountAsStreamThreads() {
        assertThat(JfrTopFrames.isStreamThread("bench-lat-1-1000-0c1f-StreamThread-1")).isTrue();
        assertThat(JfrTopFrames.isStreamThread("app-StreamThread-12")).isTrue();
        assertThat(JfrTopFrames.isStreamThread("kafka-producer-network-thread | app-StreamThread-1-producer")).isFalse();
        assertThat(JfrTopFrames.isStreamThread("app-StreamThread-1-StateUpdater-1")).isFalse();
    }
}
