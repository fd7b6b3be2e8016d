package io.breachwatch.app;

import io.breachwatch.bench.BenchPlan;
import io.breachwatch.bench.Benchmark;
import io.breachwatch.bench.LatencyProbe;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;

/**
 * {@code bench}: throughput against an exactly-once passthrough, event-to-incident latency, memory at many users
 * and replay speed, with the broker and the app each in their own JVM; see BENCHMARKS.md. Reports figures, never
 * fails on speed: exit code 0 unless the bench itself could not run.
 */
@Command(name = "bench", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Benchmark Breachwatch: throughput vs an exactly-once passthrough, latency, memory at scale, replay speed.",
                "The broker, the app and the passthrough run in child JVMs of this jar; results go to OUT/results.md."})
public final class BenchCommand implements Callable<Integer> {
    private static final BenchPlan DEFAULTS = BenchPlan.defaults(Path.of("target/bench"));

    @Spec
    CommandSpec spec;

    @Option(names = "--phases", split = ",", paramLabel = "PHASE",
            description = "Phases to run: throughput, latency, scale, replay (default: all)")
    List<String> phases = List.of("throughput", "latency", "scale", "replay");

    @Option(names = "--events", description = "Throughput: events preloaded (default ${DEFAULT-VALUE})")
    long events = DEFAULTS.events();

    @Option(names = "--users", description = "Throughput and replay: distinct users (default ${DEFAULT-VALUE})")
    int users = DEFAULTS.users();

    @Option(names = "--template-users", description = "Accounts simulated, cloned up to --users (default ${DEFAULT-VALUE})")
    int templateUsers = DEFAULTS.templateUsers();

    @Option(names = "--partitions", description = "Partitions of the input topics (default ${DEFAULT-VALUE})")
    int partitions = DEFAULTS.partitions();

    @Option(names = "--runs", description = "Throughput runs of each kind, and replay runs; the median is reported (default ${DEFAULT-VALUE})")
    int runs = DEFAULTS.runs();

    @Option(names = "--latency-rates", split = ",", paramLabel = "RATE", description = "Latency: events/s to feed (default 1000,5000)")
    List<Integer> latencyRates = DEFAULTS.latencyRates();

    @Option(names = "--latency-seconds", description = "Latency: seconds of feeding per rate (default ${DEFAULT-VALUE})")
    int latencySeconds = DEFAULTS.latencySeconds();

    @Option(names = "--latency-warmup-seconds", description = "Latency: seconds fed at the same rate before timing starts, "
            + "so the app's JIT and caches are warm; then the feed goes on until the app has caught up, at most "
            + LatencyProbe.MAX_CATCH_UP_SECONDS + " s more; 0 times the cold start (default ${DEFAULT-VALUE})")
    int latencyWarmupSeconds = DEFAULTS.latencyWarmupSeconds();

    @Option(names = "--latency-users", description = "Latency: accounts simulated (default ${DEFAULT-VALUE})")
    int latencyUsers = DEFAULTS.latencyUsers();

    @Option(names = "--scale-users", description = "State scale: distinct users (default ${DEFAULT-VALUE})")
    int scaleUsers = DEFAULTS.scaleUsers();

    @Option(names = "--scale-days", description = "State scale: simulated days (default ${DEFAULT-VALUE})")
    int scaleDays = DEFAULTS.scaleDays();

    @Option(names = "--scale-events", description = "State scale: events (default ${DEFAULT-VALUE})")
    long scaleEvents = DEFAULTS.scaleEvents();

    @Option(names = "--scale-template-users", description = "State scale: accounts simulated, cloned up to --scale-users (default ${DEFAULT-VALUE})")
    int scaleTemplateUsers = DEFAULTS.scaleTemplateUsers();

    @Option(names = "--replay-events", description = "Replay: events generated and replayed (default ${DEFAULT-VALUE})")
    long replayEvents = DEFAULTS.replayEvents();

    @Option(names = "--max-seconds", description = "Bound on each measured run; past it the partial rate is reported (default ${DEFAULT-VALUE})")
    int maxSeconds = DEFAULTS.maxSeconds();

    @Option(names = "--jfr", description = "Run the Breachwatch JVMs under Java Flight Recorder and print their top frames")
    boolean jfr;

    @Option(names = "--app-jvm-options", paramLabel = "OPTIONS", description = "JVM options of the Breachwatch and passthrough JVMs, space separated (e.g. \"-Xmx1g\")")
    String appJvmOptions = "";

    @Option(names = "--seed", description = "Simulator seed (default ${DEFAULT-VALUE})")
    long seed = DEFAULTS.seed();

    @Option(names = "--out", description = "Output directory: results.md, logs, recordings, state (default ${DEFAULT-VALUE})")
    Path out = DEFAULTS.outDir();

    @Option(names = "--jar", description = "The breachwatch.jar the child JVMs run (default: the jar running this command)")
    Path jar;

    @Override
    public Integer call() throws IOException, InterruptedException {
        var plan = plan();
        var problems = plan.problems();
        if (!problems.isEmpty()) {
            throw new ParameterException(spec.commandLine(), "bench: " + String.join("; ", problems));
        }
        new Benchmark(plan, jarPath(), System.out).run();
        return Main.EXIT_OK;
    }

    BenchPlan plan() {
        var chosen = EnumSet.noneOf(BenchPlan.Phase.class);
        for (var phase : phases) {
            try {
                chosen.add(BenchPlan.Phase.valueOf(phase.trim().toUpperCase(Locale.ROOT)));
            } catch (IllegalArgumentException e) {
                throw new ParameterException(spec.commandLine(), "bench: --phases: unknown phase '" + phase + "'; allowed: throughput, latency, scale, replay");
            }
        }
        var jvmOptions = appJvmOptions.isBlank() ? List.<String>of() : List.of(appJvmOptions.trim().split("\\s+"));
        return new BenchPlan(chosen, events, users, templateUsers, partitions, runs, latencyRates, latencySeconds, latencyWarmupSeconds, latencyUsers,
                scaleUsers, scaleDays, scaleEvents, scaleTemplateUsers, replayEvents, maxSeconds, jfr, jvmOptions, seed, out);
    }

    private Path jarPath() {
        var chosen = jar != null ? jar : runningJar();
        if (chosen == null || !Files.isRegularFile(chosen)) {
            throw new ParameterException(spec.commandLine(), "bench: --jar: breachwatch.jar not found"
                    + (chosen == null ? "" : " at " + chosen) + "; build it with mvn -B -q -DskipTests package, or use scripts/bench.sh");
        }
        return chosen.toAbsolutePath();
    }

    /** The jar this command runs from, or streams-app/target/breachwatch.jar when run from classes (tests, IDE). */
    private static Path runningJar() {
        try {
            var location = Path.of(BenchCommand.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            return location.toString().endsWith(".jar") ? location : Path.of("streams-app/target/breachwatch.jar");
        } catch (URISyntaxException | RuntimeException e) {
            return Path.of("streams-app/target/breachwatch.jar");
        }
    }
}
