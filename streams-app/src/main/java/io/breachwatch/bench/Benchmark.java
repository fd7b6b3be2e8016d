package io.breachwatch.bench;

import io.breachwatch.config.AppConfig;
import io.breachwatch.embedded.AvroClients;
import io.breachwatch.embedded.EmbeddedKafkaBroker;
import io.breachwatch.serde.JsonEvents;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.function.DoubleFunction;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import static io.breachwatch.bench.ResultsTable.mebibytes;
import static io.breachwatch.bench.ResultsTable.millis;
import static io.breachwatch.bench.ResultsTable.rate;

/**
 * Runs the phases of a {@link BenchPlan} against a broker in its own JVM and writes {@code results.md}: throughput
 * (passthrough vs Breachwatch), latency at fixed rates, memory at many users, offline replay. Every measured run is
 * bounded by {@code maxSeconds}; a phase that fails is reported as such and the others still run.
 */
public final class Benchmark {
    static final double RATIO_GOAL = 0.6;
    static final long P99_GOAL_MS = 500;
    static final int P99_GOAL_RATE = 5_000;
    /** Latency runs feed a simulated working day from this time of day (Asia/Shanghai). */
    static final Duration LATENCY_FEED_FROM = Duration.ofHours(8);
    static final long RSS_GOAL_BYTES = 1L << 30;
    static final double REPLAY_GOAL = 100_000;
    private static final Pattern REPLAY_RATE = Pattern.compile("throughput\\s+([\\d,]+) events/s");
    private static final Pattern REPLAY_CPU = Pattern.compile("cpu\\s+([\\d.]+) s");

    private final BenchPlan plan;
    private final Path jar;
    private final PrintStream out;
    private final List<Figure> figures = new ArrayList<>();
    private final List<String> profiles = new ArrayList<>();
    private final String stamp = Long.toString(System.currentTimeMillis() % 100_000_000, 36);
    private AppUnderTest.Setup setup;
    private Double breachwatchRate100k;

    public Benchmark(BenchPlan plan, Path jar, PrintStream out) {
        this.plan = plan.validate();
        this.jar = jar;
        this.out = out;
    }

    /** Runs every phase of the plan; returns the figures (also in {@code outDir/results.md}). */
    public List<Figure> run() throws IOException, InterruptedException {
        var dir = Files.createDirectories(plan.outDir().toAbsolutePath());
        var started = Instant.now();
        log("bench: output in %s; machine: %s; load average %s", dir, Machine.describe(), Machine.loadAverage());
        if (plan.phases().contains(BenchPlan.Phase.REPLAY)) {
            phase("replay", this::replay); // no broker needed: before the broker JVM takes memory and CPU
        }
        var brokerPhases = plan.phases().stream().anyMatch(p -> p != BenchPlan.Phase.REPLAY);
        if (brokerPhases) {
            var clusterDir = dir.resolve("cluster-" + stamp);
            try (var cluster = BenchCluster.start(jar, clusterDir)) {
                log("bench: broker JVM (pid %d) at %s, schema registry at %s", cluster.broker().pid(), cluster.bootstrapServers(), cluster.registry().url());
                setup = new AppUnderTest.Setup(jar, cluster, dir, plan.appJvmOptions(), plan.jfr());
                if (plan.phases().contains(BenchPlan.Phase.THROUGHPUT)) {
                    phase("throughput", () -> throughput(cluster));
                }
                if (plan.phases().contains(BenchPlan.Phase.LATENCY)) {
                    phase("latency", () -> latency(cluster));
                }
                if (plan.phases().contains(BenchPlan.Phase.SCALE)) {
                    phase("scale", () -> scale(cluster));
                }
            } finally {
                EmbeddedKafkaBroker.deleteRecursively(clusterDir); // the broker's data: gigabytes at full size
            }
        }
        var report = report(started);
        Files.writeString(dir.resolve("results.md"), report, StandardCharsets.UTF_8);
        out.println();
        out.print(ResultsTable.markdown(figures));
        out.println();
        log("bench: results written to %s", dir.resolve("results.md"));
        return List.copyOf(figures);
    }

    private interface Phase {
        void run() throws IOException, InterruptedException;
    }

    private void phase(String name, Phase phase) throws InterruptedException {
        long t0 = System.nanoTime();
        try {
            phase.run();
        } catch (IOException | RuntimeException e) {
            log("bench: %s phase failed: %s", name, e.getMessage());
            figures.add(new Figure(name, "-", "", "failed", e.getClass().getSimpleName() + ": " + firstLine(e.getMessage())));
        }
        log("bench: %s phase took %.0f s", name, (System.nanoTime() - t0) / 1e9);
    }

    // ---------------------------------------------------------------- throughput

    private void throughput(BenchCluster cluster) throws InterruptedException, IOException {
        var topic = "bench.events-" + stamp;
        cluster.createTopics(plan.partitions(), topic);
        var events = BenchEvents.forSize(plan.seed(), plan.events(), plan.users(), plan.throughputTemplateUsers(),
                BenchEvents.daysFor(plan.events(), plan.throughputTemplateUsers()));
        long t0 = System.nanoTime();
        long produced = cluster.produce(topic, events);
        log("bench: preloaded %,d events of %,d distinct users (%d scenarios) into %s (%d partitions) in %.0f s",
                produced, events.distinctUsers(), events.labels().size(), topic, plan.partitions(), (System.nanoTime() - t0) / 1e9);
        var sizes = String.format(Locale.ROOT, "%,d events, %,d users, %d partitions", produced, events.distinctUsers(), plan.partitions());
        var passthrough = new ArrayList<ProcessingRun.Result>();
        var breachwatch = new ArrayList<ProcessingRun.Result>();
        var ratios = new ArrayList<Double>();
        var loads = new ArrayList<String>();
        for (int run = 1; run <= plan.runs(); run++) {
            var pt = measurePassthrough(cluster, topic, run);
            var bw = measureBreachwatch(cluster, topic, "bench-bw-" + stamp + "-" + run, "run " + run, false);
            passthrough.add(pt);
            breachwatch.add(bw);
            ratios.add(bw.rate() / pt.rate());
            loads.add(Machine.loadAverage());
        }
        var loadNote = "load avg after each run: " + String.join("; ", loads);
        figures.add(rateFigure("throughput (a) passthrough, exactly_once_v2", passthrough, sizes + "; " + loadNote));
        figures.add(rateFigure("throughput (b) Breachwatch, all detectors, exactly_once_v2", breachwatch, sizes + "; " + loadNote));
        var finished = passthrough.stream().allMatch(ProcessingRun.Result::finished) && breachwatch.stream().allMatch(ProcessingRun.Result::finished);
        double ratio = Stats.median(ratios);
        var ratioText = String.format(Locale.ROOT, "%.2fx", ratio);
        var ratioNote = "median of per-run b/a: " + ratios.stream().map(r -> String.format(Locale.ROOT, "%.3f", r)).toList();
        figures.add(finished ? Figure.against("ratio b/a", ratioText, ">= " + RATIO_GOAL + "x", ratio >= RATIO_GOAL, ratioNote)
                : new Figure("ratio b/a", ratioText + " (partial)", ">= " + RATIO_GOAL + "x", Figure.DID_NOT_FINISH, ratioNote));
        breachwatchRate100k = Stats.median(breachwatch.stream().map(ProcessingRun.Result::rate).toList());
    }

    private ProcessingRun.Result measurePassthrough(BenchCluster cluster, String topic, int run) throws InterruptedException {
        var appId = "bench-pt-" + stamp + "-" + run;
        var output = "bench.passthrough-" + stamp + "-" + run;
        cluster.createTopics(plan.partitions(), output);
        try (var app = AppUnderTest.passthrough(setup, appId, topic, output)) {
            var result = ProcessingRun.measure(cluster, app, topic, Duration.ofSeconds(plan.maxSeconds()), false);
            log("bench: run %d passthrough: %s", run, describe(result));
            app.stop();
            return result;
        }
    }

    private ProcessingRun.Result measureBreachwatch(BenchCluster cluster, String topic, String appId, String label, boolean sampleHeap)
            throws InterruptedException, IOException {
        try (var app = AppUnderTest.breachwatch(setup, appId, topic, "bench.incidents-" + appId, plan.partitions())) {
            var result = ProcessingRun.measure(cluster, app, topic, Duration.ofSeconds(plan.maxSeconds()), sampleHeap);
            log("bench: %s Breachwatch: %s", label, describe(result));
            var recording = app.stop();
            if (recording.isPresent()) {
                profile(recording.get());
            }
            return result;
        }
    }

    private static String describe(ProcessingRun.Result r) {
        return String.format(Locale.ROOT, "%s (%,d of %,d events committed in %.1f s after the first commit; launch to first commit %.1f s)%s",
                rate(r.rate()), r.processed() - r.firstCommitted(), r.total() - r.firstCommitted(), r.seconds(), r.startupSeconds(),
                r.finished() ? "" : " - did not finish");
    }

    private static Figure rateFigure(String name, List<ProcessingRun.Result> runs, String notes) {
        double median = Stats.median(runs.stream().map(ProcessingRun.Result::rate).toList());
        var each = runs.stream().map(r -> String.format(Locale.ROOT, "%,.0f%s", r.rate(), r.finished() ? "" : "*")).toList();
        var startup = Stats.median(runs.stream().map(ProcessingRun.Result::startupSeconds).toList());
        var allFinished = runs.stream().allMatch(ProcessingRun.Result::finished);
        var text = String.format(Locale.ROOT, "runs %s events/s%s; JVM launch to first commit %.1f s (median); %s", each,
                allFinished ? "" : " (* = did not finish: events processed / elapsed)", startup, notes);
        return new Figure(name, rate(median) + " (median of " + runs.size() + ")", "", allFinished ? "" : Figure.DID_NOT_FINISH, text);
    }

    // ---------------------------------------------------------------- latency

    private void latency(BenchCluster cluster) throws InterruptedException, IOException {
        for (int rate : plan.latencyRates()) {
            var input = "bench.latency-" + stamp + "-" + rate;
            var incidents = "bench.latency-incidents-" + stamp + "-" + rate;
            cluster.createTopics(plan.partitions(), input);
            cluster.createTopics(plan.partitions(), LatencyProbe.INCIDENT_TOPIC_CONFIG, incidents);
            // enough events for the longest feed (a warm-up that waits for the app to catch up)
            long count = (long) rate * LatencyProbe.feedSeconds(plan.latencyWarmupSeconds(), plan.latencySeconds());
            int days = BenchEvents.daysFor(count, plan.latencyUsers()) + 1;
            // a working day from 08:00, when a CRM is busiest and event time runs evenly; at night the same rate
            // would cover hours of event time in seconds and its scenarios would all fall at the start of the feed
            long nominal = (long) rate * (plan.latencyWarmupSeconds() + plan.latencySeconds());
            double simSecondsCovered = nominal / (plan.latencyUsers() * BenchEvents.EVENTS_PER_USER_WORKDAY / 86_400.0);
            // ~150 scenarios over a feed without catch-up (a dozen kinds in turn, each a different actor): enough incidents for a p99
            var every = Duration.ofSeconds(Math.max(30, (long) (simSecondsCovered / 240)));
            var events = new BenchEvents(plan.seed(), plan.latencyUsers(), plan.latencyUsers(), days,
                    BenchEvents.recentMonday(days).plus(LATENCY_FEED_FROM), count, 1.0, every);
            // made and serialized before the app starts: the sender then only sends, at the rate (PreparedEvents)
            long t0 = System.nanoTime();
            var feed = PreparedEvents.of(events, count, input, AvroClients.eventSerializer(cluster.registry().registry()));
            log("bench: latency at %,d events/s: %,d events made and serialized in %.1f s (%,d MB held), before the feed",
                    rate, feed.size(), (System.nanoTime() - t0) / 1e9, feed.bytes() >> 20);
            var appId = "bench-lat-" + stamp + "-" + rate;
            try (var app = AppUnderTest.breachwatch(setup, appId, input, incidents, plan.partitions())) {
                app.awaitReady();
                var drain = Duration.ofSeconds(Math.min(plan.maxSeconds(), 120));
                var result = new LatencyProbe(cluster, input, incidents).run(app, feed, rate, plan.latencyWarmupSeconds(), plan.latencySeconds(), drain);
                var load = Machine.loadAverage();
                figures.add(latencyFigure(result, plan.latencyUsers(), every, load));
                log("bench: latency at %,d events/s: %s", rate, figures.get(figures.size() - 1).value());
                saveMetrics(app, "latency-" + rate);
                var recording = app.stop();
                if (recording.isPresent()) {
                    profile(recording.get());
                }
            }
        }
    }

    /** The app's /metrics at the end of a run, beside the child logs: its own latency timers per rule, for the profile. */
    private void saveMetrics(AppUnderTest app, String run) throws IOException {
        var text = app.metricsText();
        if (text != null) {
            var file = plan.outDir().resolve("logs").resolve(run + "-metrics.prom");
            Files.createDirectories(file.getParent());
            Files.writeString(file, text);
        }
    }

    static Figure latencyFigure(LatencyProbe.Result r, int users, Duration scenarioEvery, String load) {
        var name = String.format(Locale.ROOT, "latency at %,d events/s, event to incident (read_committed)", r.rate());
        var notes = String.format(Locale.ROOT, "%,d events sent in %.1f s (%,.0f/s achieved), %,d users, a working day from %02d:00, a scenario every %d s of event time; "
                        + "%,d incidents timed, %,d not matched to an event; app behind by %,d events at the end of the feed; load avg %s",
                r.eventsSent(), r.sendSeconds(), r.eventsSent() / Math.max(0.001, r.sendSeconds()), users, LATENCY_FEED_FROM.toHours(), scenarioEvery.toSeconds(),
                r.latenciesMs().size(), r.unmatched(), r.lagAtEndOfFeed(), load);
        boolean hasGoal = r.rate() == P99_GOAL_RATE;
        var goal = hasGoal ? "p99 <= " + P99_GOAL_MS + " ms" : "";
        if (r.latenciesMs().isEmpty()) {
            return new Figure(name, "no incident timed", goal, hasGoal ? Figure.MISSED : "", notes);
        }
        var l = r.latenciesMs();
        var perRule = new StringBuilder();
        r.latenciesByRuleMs().forEach((rule, ms) -> perRule.append(String.format(Locale.ROOT, "%s%s %d: p50 %s, max %s",
                perRule.length() == 0 ? "; by rule (incidents: p50, max): " : "; ", rule, ms.size(),
                millis(Stats.percentile(ms, 50)), millis(Stats.percentile(ms, 100)))));
        notes += perRule;
        if (!r.appendedMs().isEmpty()) {
            notes += "; of which event sent to acknowledged by the broker: " + percentiles(r.ackedMs(), ResultsTable::millis)
                    + "; to incident appended (the broker's append time, before the commit): " + percentiles(r.appendedMs(), ResultsTable::millis);
        }
        if (!r.behindSamples().isEmpty()) {
            notes += "; app behind while timed (events, every 200 ms): " + percentiles(r.behindSamples(), n -> String.format(Locale.ROOT, "%,.0f", n));
        }
        if (!r.slowest().isEmpty()) {
            notes += r.slowest().stream().map(t -> String.format(Locale.ROOT, "%s %s (appended at %s, event sent at %.1f s)", t.rule(),
                    millis(t.latencyMs()), millis(t.appendedMs()), t.sentAtSeconds())).collect(Collectors.joining(", ", "; slowest: ", ""));
        }
        var warmup = r.warmup();
        if (warmup.seconds() > 0) {
            notes += String.format(Locale.ROOT, "; not timed: a warm-up at the same rate first (fresh app JVM) of %.0f s, %s, during which the app "
                    + "was behind by up to %,d events and %d incidents took %s", warmup.seconds(),
                    warmup.caughtUp() ? "until the app had caught up (" + LatencyProbe.CAUGHT_UP + ")"
                            : "when the app had still not caught up (" + LatencyProbe.MAX_CATCH_UP_SECONDS + " s allowed past the set warm-up)",
                    warmup.behindSamples().stream().mapToLong(Long::longValue).max().orElse(0), warmup.latenciesMs().size(),
                    warmup.latenciesMs().isEmpty() ? "-" : percentiles(warmup.latenciesMs(), ResultsTable::millis));
        }
        double p99 = Stats.percentile(l, 99);
        var value = String.format(Locale.ROOT, "p50 %s, p95 %s, p99 %s, max %s", millis(Stats.percentile(l, 50)),
                millis(Stats.percentile(l, 95)), millis(p99), millis(Stats.percentile(l, 100)));
        return hasGoal ? Figure.against(name, value, goal, p99 <= P99_GOAL_MS, notes) : Figure.info(name, value, notes);
    }

    private static String percentiles(List<Long> values, DoubleFunction<String> format) {
        return String.format(Locale.ROOT, "p50 %s, p99 %s, max %s", format.apply(Stats.percentile(values, 50)),
                format.apply(Stats.percentile(values, 99)), format.apply(Stats.percentile(values, 100)));
    }

    // ---------------------------------------------------------------- state scale

    private void scale(BenchCluster cluster) throws InterruptedException, IOException {
        var topic = "bench.scale-" + stamp;
        cluster.createTopics(plan.partitions(), topic);
        var events = BenchEvents.forSize(plan.seed(), plan.scaleEvents(), plan.scaleUsers(), plan.scaleTemplateUsers(), plan.scaleDays());
        long t0 = System.nanoTime();
        long produced = cluster.produce(topic, events);
        log("bench: preloaded %,d events of %,d distinct users over %d days (%d scenarios) into %s in %.0f s",
                produced, events.distinctUsers(), plan.scaleDays(), events.labels().size(), topic, (System.nanoTime() - t0) / 1e9);
        var result = measureBreachwatch(cluster, topic, "bench-scale-" + stamp, "scale", true);
        var load = Machine.loadAverage();
        var sizes = String.format(Locale.ROOT, "%,d distinct users, %,d events over %d simulated days (%,d accounts simulated, cloned); "
                        + "default config (rocksdb.cache-size %s bounds RocksDB); app JVM options: %s; load avg %s%s",
                events.distinctUsers(), produced, plan.scaleDays(), plan.scaleTemplateUsers(), AppConfig.ROCKSDB_CACHE_SIZE.defaultValue(),
                String.join(" ", AppUnderTest.breachwatchJvmOptions(plan.appJvmOptions()))
                        + (plan.appJvmOptions().isEmpty() ? " (those of ./breachwatch run)" : ""), load,
                result.finished() ? "" : String.format(Locale.ROOT, "; did not finish: %,d of %,d events in %d s", result.processed(), result.total(), plan.maxSeconds()));
        var rssOk = result.peakRss() >= 0 && result.peakRss() <= RSS_GOAL_BYTES;
        var rss = result.peakRss() < 0 ? "unknown" : mebibytes(result.peakRss());
        figures.add(result.finished() ? Figure.against("state scale: peak RSS (VmHWM)", rss, "<= 1 GiB", rssOk, sizes)
                : new Figure("state scale: peak RSS (VmHWM)", rss + " (partial)", "<= 1 GiB", Figure.DID_NOT_FINISH, sizes));
        figures.add(Figure.info("state scale: peak heap used", result.peakHeap() < 0 ? "unknown" : mebibytes(result.peakHeap()),
                "largest of the jvm_memory_used_bytes{area=heap} samples on /metrics, every 5 s"));
        figures.add(Figure.info("state scale: state directory", mebibytes(result.stateBytes()), "at the end of the run"));
        var vs = breachwatchRate100k == null ? "" : String.format(Locale.ROOT, "; %.2fx the throughput with %,d users (%s)",
                result.rate() / breachwatchRate100k, plan.users(), rate(breachwatchRate100k));
        figures.add(new Figure("state scale: throughput", rate(result.rate()), "", result.finished() ? "" : Figure.DID_NOT_FINISH,
                describe(result) + vs));
    }

    // ---------------------------------------------------------------- replay

    private void replay() throws IOException, InterruptedException {
        var dir = plan.outDir().toAbsolutePath();
        var file = dir.resolve("replay-events.jsonl");
        var days = BenchEvents.daysFor(plan.replayEvents(), plan.throughputTemplateUsers());
        var events = BenchEvents.forSize(plan.seed(), plan.replayEvents(), plan.users(), plan.throughputTemplateUsers(), days);
        long count = 0;
        try (var writer = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            while (events.hasNext()) {
                writer.write(JsonEvents.toJson(events.next()));
                writer.write('\n');
                count++;
            }
        }
        try (var channel = FileChannel.open(file, StandardOpenOption.WRITE)) {
            channel.force(true); // else the kernel writes the file back during the timed replay (a gigabyte)
        }
        log("bench: generated %,d events (%,d users) in %s", count, events.distinctUsers(), file);
        var name = String.format(Locale.ROOT, "replay (offline, %,d events)", count);
        var goal = ">= " + rate(REPLAY_GOAL);
        var rates = new ArrayList<Double>();
        var each = new ArrayList<String>();
        var cpu = new ArrayList<String>();
        try {
            for (int run = 1; run <= plan.runs(); run++) {
                var result = replayFile(file, run);
                if (result.isEmpty()) {
                    figures.add(new Figure(name, "< " + rate(count / (double) plan.maxSeconds()), goal, Figure.DID_NOT_FINISH,
                            String.format(Locale.ROOT, "run %d not done after %d s (replay reports no progress when not on a terminal); load avg %s",
                                    run, plan.maxSeconds(), Machine.loadAverage())));
                    return;
                }
                var done = result.get();
                rates.add(done.rate());
                each.add(String.format(Locale.ROOT, "%,.0f", done.rate()));
                cpu.add(done.cpuSeconds() < 0 ? "?" : String.format(Locale.ROOT, "%.1f", done.cpuSeconds()));
            }
        } finally {
            Files.deleteIfExists(file); // about 500 bytes an event
        }
        double median = Stats.median(rates);
        figures.add(Figure.against(name, rate(median) + " (median of " + rates.size() + ")", goal, median >= REPLAY_GOAL,
                String.format(Locale.ROOT, "runs %s events/s, CPU %s s (the process, every thread); "
                                + "replay's own figures (parse to last event, JVM start excluded), each in a JVM of its own (%s); load avg %s",
                        each, cpu, String.join(" ", AppUnderTest.replayJvmOptions(plan.appJvmOptions())), Machine.loadAverage())));
    }

    /** What one replay run reported: events/s, and its process's CPU seconds (negative when it did not say). */
    private record ReplayRun(double rate, double cpuSeconds) {
    }

    /**
     * Runs {@code breachwatch replay} on the file in its own JVM; replay's own figures, or empty when it did not
     * finish within {@code --max-seconds}.
     */
    private Optional<ReplayRun> replayFile(Path file, int run) throws IOException, InterruptedException {
        var dir = file.getParent();
        var recording = plan.jfr() ? dir.resolve("jfr/replay-" + stamp + "-" + run + ".jfr") : null;
        var jvmArgs = new ArrayList<>(AppUnderTest.replayJvmOptions(plan.appJvmOptions()));
        if (recording != null) {
            Files.createDirectories(recording.getParent());
            jvmArgs.add("-XX:StartFlightRecording=filename=" + recording + ",settings=profile,dumponexit=true");
        }
        jvmArgs.addAll(List.of("-jar", jar.toString()));
        var args = List.of("replay", "--input", file.toString(), "--output", dir.resolve("replay-incidents.jsonl").toString());
        ReplayRun result;
        try (var jvm = ChildJvm.start("replay", jvmArgs, args, java.util.Map.of(), dir.resolve("logs/replay-" + stamp + "-" + run + ".log"))) {
            if (!jvm.awaitExit(Duration.ofSeconds(plan.maxSeconds()))) {
                jvm.stop(Duration.ofSeconds(30));
                return Optional.empty();
            }
            var summary = Files.readString(jvm.log());
            var matcher = REPLAY_RATE.matcher(summary);
            if (jvm.exitValue() != 0 || !matcher.find()) {
                throw new IllegalStateException("replay exited with " + jvm.exitValue() + " without a throughput line; " + jvm.tail());
            }
            var cpu = REPLAY_CPU.matcher(summary);
            result = new ReplayRun(Double.parseDouble(matcher.group(1).replace(",", "")), cpu.find() ? Double.parseDouble(cpu.group(1)) : -1);
            log("bench: replay run %d: %,.0f events/s, CPU %.1f s", run, result.rate(), result.cpuSeconds());
        }
        if (recording != null && Files.exists(recording)) {
            profile(recording);
        }
        return Optional.of(result);
    }

    // ---------------------------------------------------------------- report

    private void profile(Path recording) throws IOException {
        var report = JfrTopFrames.report(recording, 25);
        Files.writeString(recording.resolveSibling(recording.getFileName() + ".top.txt"), report);
        profiles.add(report);
        out.println(report);
    }

    private String report(Instant started) {
        var md = new StringBuilder("# Breachwatch bench results\n\n");
        md.append("- date: ").append(started.truncatedTo(ChronoUnit.SECONDS)).append(" (UTC)\n");
        md.append("- commit: ").append(Machine.commit()).append('\n');
        md.append("- machine: ").append(Machine.describe()).append('\n');
        md.append("- load average at the end: ").append(Machine.loadAverage()).append('\n');
        md.append("- plan: ").append(plan).append("\n\n");
        md.append(ResultsTable.markdown(figures));
        if (!profiles.isEmpty()) {
            md.append("\n## Profiles (JFR execution samples)\n\n```\n");
            profiles.forEach(p -> md.append(p).append('\n'));
            md.append("```\n");
        }
        return md.toString();
    }

    private void log(String format, Object... args) {
        out.printf(Locale.ROOT, format + "%n", args);
        out.flush();
    }

    private static String firstLine(String message) {
        return message == null ? "" : message.lines().findFirst().orElse("");
    }
}
