package io.breachwatch.app;

import io.breachwatch.config.Settings;
import io.breachwatch.embedded.EmbeddedKafkaBroker;
import io.breachwatch.embedded.LocalDetector;
import io.breachwatch.embedded.Logging;
import io.breachwatch.schema.Incident;
import io.breachwatch.serde.InMemorySchemaRegistry;
import io.breachwatch.sim.Pacer;
import io.breachwatch.sim.SimConfig;
import io.breachwatch.sim.Simulator;
import io.breachwatch.topology.TopologyConfig;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.DayOfWeek;
import java.time.Duration;
import java.time.LocalDate;
import java.time.format.DateTimeFormatter;
import java.time.temporal.TemporalAdjusters;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * {@code demo}: a real Kafka broker in this JVM, the in-memory schema registry, the detector topology and
 * simulated CRM traffic with injected breaches, in accelerated time; each incident printed as one line.
 * Ctrl-C (or {@code --duration}) stops everything cleanly with exit code 0.
 */
@Command(name = "demo", mixinStandardHelpOptions = true,
        description = "Run Breachwatch on an embedded Kafka broker with simulated CRM traffic and print incidents live.")
public final class DemoCommand implements Callable<Integer> {
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("EEE MM-dd HH:mm", Locale.ROOT).withZone(SimConfig.ZONE);

    @Option(names = "--port", defaultValue = "0", description = "Broker port on 127.0.0.1; 0 picks a free one (default ${DEFAULT-VALUE})")
    int port;

    @Option(names = "--data-dir", description = "Keep broker data and Streams state here (default: a temporary directory, deleted on exit)")
    Path dataDir;

    @Option(names = "--seed", defaultValue = "42", description = "Simulator seed (default ${DEFAULT-VALUE})")
    long seed;

    @Option(names = "--speed", defaultValue = "720", description = "Simulated seconds per real second; 720 = one CRM hour every 5 s (default ${DEFAULT-VALUE})")
    double speed;

    @Option(names = "--duration", description = "Stop after this many seconds (default: run until Ctrl-C)")
    Long durationSeconds;

    @Option(names = "--users", defaultValue = "150", description = "Simulated accounts (default ${DEFAULT-VALUE})")
    int users;

    @Option(names = "--days", defaultValue = "10", description = "Simulated days; then traffic stops and the demo idles (default ${DEFAULT-VALUE})")
    int days;

    private final PrintStream out;
    private final AtomicBoolean stopping = new AtomicBoolean();
    private final CountDownLatch finished = new CountDownLatch(1);

    public DemoCommand() {
        this(System.out);
    }

    DemoCommand(PrintStream out) {
        this.out = out;
    }

    /** Counts of what happened, for the closing line and tests. */
    record Totals(AtomicLong events, AtomicLong incidents, AtomicLong updates) {
    }

    final Totals totals = new Totals(new AtomicLong(), new AtomicLong(), new AtomicLong());

    @Override
    public Integer call() throws Exception {
        if (!(speed > 0)) {
            throw new picocli.CommandLine.ParameterException(new picocli.CommandLine(this), "demo: --speed must be > 0, was " + speed);
        }
        Logging.onlyErrors();
        var hook = new Thread(this::stopFromSignal, "breachwatch-demo-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        long t0 = System.nanoTime();
        try {
            run(t0);
        } finally {
            finished.countDown();
        }
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException shuttingDown) {
            // Ctrl-C: the hook is running and ends the JVM with exit code 0
        }
        return 0;
    }

    private void run(long t0) throws IOException, InterruptedException {
        var base = dataDir != null ? Files.createDirectories(dataDir) : Files.createTempDirectory("breachwatch-demo-");
        var settings = Settings.load(null, System.getenv(), TopologyConfig.fields());
        var config = TopologyConfig.from(settings);
        out.println("Breachwatch demo: starting an embedded Kafka broker ...");
        var broker = EmbeddedKafkaBroker.builder().port(port).dataDir(base.resolve("kafka")).build();
        LocalDetector detector = null;
        Thread traffic = null;
        try {
            broker.start();
            LocalDetector.createTopics(broker, config);
            var registry = new InMemorySchemaRegistry();
            detector = new LocalDetector(broker.bootstrapServers(), registry, config, "breachwatch-demo", base.resolve("streams"));
            detector.start();
            var sim = new Simulator(simConfig());
            banner(broker, config, sim, Duration.ofNanos(System.nanoTime() - t0));
            traffic = startTraffic(broker, registry, config, sim);
            printIncidents(broker, registry, config);
        } finally {
            stopping.set(true);
            Logging.silence();
            if (traffic != null) {
                traffic.join(TimeUnit.SECONDS.toMillis(10));
            }
            if (detector != null) {
                detector.close(Duration.ofSeconds(15));
            }
            broker.stop();
            if (dataDir == null) {
                EmbeddedKafkaBroker.deleteRecursively(base);
            }
            out.printf(Locale.ROOT, "Breachwatch demo stopped: %,d events, %,d incidents, %,d updates.%n",
                    totals.events().get(), totals.incidents().get(), totals.updates().get());
        }
    }

    /** Starts on a Monday 08:00 in Shanghai about two weeks back, so accelerated time never runs into the future. */
    private SimConfig simConfig() {
        var monday = LocalDate.now(SimConfig.ZONE).minusDays(14).with(TemporalAdjusters.previousOrSame(DayOfWeek.MONDAY));
        var start = monday.atTime(8, 0).atZone(SimConfig.ZONE).toInstant();
        return new SimConfig(seed, users, 2, Math.min(days, 13), start, EnumSet.allOf(io.breachwatch.sim.ScenarioKind.class),
                Duration.ofMinutes(40), Duration.ofMinutes(15), false);
    }

    private void banner(EmbeddedKafkaBroker broker, TopologyConfig config, Simulator sim, Duration startup) {
        out.printf(Locale.ROOT, """
                ------------------------------------------------------------------------------
                 Broker      %s  (ready in %.1f s; e.g. kcat -b %s -L)
                 Topics      %s (events, Avro), %s (incidents, Avro), %s
                 Traffic     %d accounts in %d tenants from %s, %.0fx real time
                 Scenarios   bulk export, record enumeration, denied-access burst, credential stuffing, export spike
                 Stop        Ctrl-C
                ------------------------------------------------------------------------------
                %-15s %-8s %-20s %-24s %s
                """, broker.bootstrapServers(), startup.toMillis() / 1000.0, broker.bootstrapServers(),
                config.inputTopic(), config.incidentsTopic(), config.dlqTopic(),
                sim.config().users(), sim.config().tenants(), TIME.format(sim.config().start()), speed,
                "time (Shanghai)", "severity", "rule", "actor", "summary");
        out.flush();
    }

    private Thread startTraffic(EmbeddedKafkaBroker broker, InMemorySchemaRegistry registry, TopologyConfig config, Simulator sim) {
        var thread = new Thread(() -> {
            try (var producer = LocalDetector.eventProducer(broker.bootstrapServers(), registry)) {
                var events = new Pacer(sim.events(), sim.config().start(), speed, stopping::get);
                while (events.hasNext()) {
                    producer.send(LocalDetector.record(config.inputTopic(), events.next()));
                    totals.events().incrementAndGet();
                }
            } catch (RuntimeException e) {
                if (!stopping.get()) {
                    out.println("traffic stopped: " + e.getMessage());
                }
            }
        }, "breachwatch-demo-traffic");
        thread.setDaemon(true);
        thread.start();
        return thread;
    }

    private void printIncidents(EmbeddedKafkaBroker broker, InMemorySchemaRegistry registry, TopologyConfig config) {
        long deadline = durationSeconds == null ? Long.MAX_VALUE : System.nanoTime() + TimeUnit.SECONDS.toNanos(durationSeconds);
        try (var consumer = LocalDetector.incidentConsumer(broker.bootstrapServers(), registry, "breachwatch-demo-console")) {
            consumer.subscribe(List.of(config.incidentsTopic()));
            while (!stopping.get() && System.nanoTime() < deadline) {
                for (var record : consumer.poll(Duration.ofMillis(200))) {
                    if (record.value() != null) {
                        print(record.value());
                    }
                }
            }
        }
    }

    void print(Incident incident) {
        var actor = incident.getUserId() != null ? incident.getUserId() : String.valueOf(incident.getSourceIp());
        if (incident.getRevision() > 1) {
            totals.updates().incrementAndGet();
        } else {
            totals.incidents().incrementAndGet();
        }
        var tag = incident.getRevision() > 1 ? "  update r" + incident.getRevision() + ": " : "";
        out.printf(Locale.ROOT, "%-15s %-8s %-20s %-24s %s%s%n", TIME.format(incident.getDetectedAt()), incident.getSeverity(),
                incident.getRuleId(), incident.getTenantId() + "/" + actor, tag, incident.getSummary());
        out.flush();
    }

    /** Ctrl-C: let the main thread close everything, then end with exit code 0 instead of 130. */
    private void stopFromSignal() {
        stopping.set(true);
        Logging.silence();
        try {
            finished.await(40, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        Runtime.getRuntime().halt(0);
    }
}
