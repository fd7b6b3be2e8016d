package io.breachwatch.app;

import io.breachwatch.config.AppConfig;
import io.breachwatch.config.Settings;
import io.breachwatch.embedded.AvroClients;
import io.breachwatch.embedded.EmbeddedKafkaBroker;
import io.breachwatch.embedded.Logging;
import io.breachwatch.http.HttpConfig;
import io.breachwatch.runtime.GracefulShutdown;
import io.breachwatch.runtime.Service;
import io.breachwatch.runtime.StartupChecks;
import io.breachwatch.runtime.StartupException;
import io.breachwatch.incident.Obligations;
import io.breachwatch.schema.BreachNotice;
import io.breachwatch.schema.Incident;
import io.breachwatch.schema.IncidentStatus;
import io.breachwatch.serde.AvroSerde;
import io.breachwatch.serde.InMemorySchemaRegistry;
import io.breachwatch.sim.Pacer;
import io.breachwatch.sim.ScenarioKind;
import io.breachwatch.sim.SimConfig;
import io.breachwatch.sim.Simulator;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.serialization.Deserializer;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

import java.io.IOException;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.format.DateTimeFormatter;
import java.time.temporal.TemporalAdjusters;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * {@code demo}: the same {@link Service} as {@code run} (Kafka Streams, metrics, HTTP API) on a real Kafka broker
 * in this JVM with the in-memory schema registry, fed by simulated CRM traffic with injected breaches in
 * accelerated time; each incident and each breach-notice task (with its due time) printed as one line. Ctrl-C stops everything through {@link GracefulShutdown}
 * (console, traffic, HTTP, Kafka Streams, metrics, broker) with exit code 0; {@code --duration} ends the same way.
 */
@Command(name = "demo", mixinStandardHelpOptions = true,
        description = {"Run Breachwatch on an embedded Kafka broker with simulated CRM traffic and print incidents and breach-notice tasks live.",
                "Serves the HTTP API (metrics, health, incidents) like run; configuration keys come from the environment."})
public final class DemoCommand implements Callable<Integer> {
    static final int DEFAULT_HTTP_PORT = 8080;
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("EEE MM-dd HH:mm", Locale.ROOT).withZone(SimConfig.ZONE);

    @ParentCommand
    private Main main;

    @Option(names = "--port", defaultValue = "0", description = "Broker port on 127.0.0.1; 0 picks a free one (default ${DEFAULT-VALUE})")
    int port;

    @Option(names = "--http-port", paramLabel = "PORT",
            description = "Port of the HTTP API; 0 picks a free one (default " + DEFAULT_HTTP_PORT + ", or a free one when that is busy)")
    Integer httpPort;

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

    private final PrintStream out = System.out;
    /** Set by any stop: ends the traffic and the console loop. */
    private final AtomicBoolean stopping = new AtomicBoolean();
    /** Set by the shutdown hook (Ctrl-C, SIGTERM): the hook closes everything and ends the process. */
    private final AtomicBoolean signalled = new AtomicBoolean();
    private final AtomicBoolean summaryPrinted = new AtomicBoolean();
    private final CountDownLatch consoleClosed = new CountDownLatch(1);
    private final AtomicLong events = new AtomicLong();
    private final AtomicLong incidents = new AtomicLong();
    private final AtomicLong updates = new AtomicLong();
    private final AtomicLong notices = new AtomicLong();
    private volatile Thread traffic;

    @Override
    public Integer call() throws IOException, InterruptedException {
        if (!(speed > 0)) {
            throw new CommandLine.ParameterException(new CommandLine(this), "demo: --speed must be > 0, was " + speed);
        }
        long t0 = System.nanoTime();
        Logging.onlyErrors();
        var base = dataDir != null ? Files.createDirectories(dataDir) : Files.createTempDirectory("breachwatch-demo-");
        var broker = EmbeddedKafkaBroker.builder().port(port).dataDir(base.resolve("kafka")).build();
        var shutdown = GracefulShutdown.install();
        // steps run newest first: console, traffic, HTTP, Kafka Streams, metrics, broker, then the closing line
        shutdown.add("summary", onSignal(this::printSummary))
                .add("broker", onSignal(() -> closeBroker(broker, base)));
        Service service = null;
        var started = false;
        try {
            var config = config(broker, base);
            out.println("Breachwatch demo: starting an embedded Kafka broker and the service ...");
            out.flush();
            broker.start();
            started = true;
            var registry = new InMemorySchemaRegistry();
            try (var checks = new StartupChecks(config)) {
                checks.ensureTopics(StartupChecks.requiredTopics(config), true);
            }
            service = new Service(config, registry).registerWith(shutdown).start();
            shutdown.add("traffic", onSignal(this::stopTraffic))
                    .add("console", onSignal(this::awaitConsoleClosed));
            var sim = new Simulator(simConfig());
            banner(broker, service, config, sim, Duration.ofNanos(System.nanoTime() - t0));
            startTraffic(broker, registry, config, sim);
            printOutput(broker, registry, config, service);
            if (service.runtime().failed() && !stopping.get()) {
                out.println("Breachwatch demo: Kafka Streams stopped on an error"
                        + service.runtime().failure().map(e -> ": " + e.getMessage()).orElse(""));
                return Main.EXIT_FAILURE;
            }
            return Main.EXIT_OK;
        } catch (RuntimeException e) {
            if (signalled.get()) {
                return Main.EXIT_OK; // a client closed under us by the stop: not a failure
            }
            throw e;
        } finally {
            if (!signalled.get()) { // after a signal the hook closes everything and ends the process
                shutdown.uninstall();
                stopping.set(true);
                Logging.silence();
                stopTraffic();
                if (service != null) {
                    service.close();
                }
                closeBroker(broker, base);
                if (started) {
                    printSummary();
                }
            }
        }
    }

    /** The service's configuration: the environment's keys, with the broker, state directory and HTTP port of this demo. */
    private AppConfig config(EmbeddedKafkaBroker broker, Path base) {
        var env = main != null ? main.env() : System.getenv();
        var settings = Settings.load(null, env, AppConfig.fields());
        // one partition unless asked otherwise: one task per stage, so incidents appear in event-time order
        var partitions = settings.isSet(AppConfig.TOPICS_PARTITIONS) ? settings.get(AppConfig.TOPICS_PARTITIONS) : 1;
        return AppConfig.from(settings.withAll(Map.of(
                AppConfig.BOOTSTRAP_SERVERS.key(), broker.bootstrapServers(),
                AppConfig.APPLICATION_ID.key(), "breachwatch-demo",
                AppConfig.STATE_DIR.key(), base.resolve("streams").toString(),
                AppConfig.TOPICS_PARTITIONS.key(), Integer.toString(partitions),
                HttpConfig.PORT.key(), Integer.toString(httpPort(settings.get(HttpConfig.ADDRESS))))));
    }

    /** {@code --http-port} as given (failing before anything starts when it is taken); by default 8080, or a free port when 8080 is taken. */
    private int httpPort(String address) {
        int wanted = httpPort != null ? httpPort : DEFAULT_HTTP_PORT;
        if (wanted == 0 || canBind(address, wanted)) {
            return wanted;
        }
        if (httpPort == null) {
            return 0;
        }
        throw new StartupException("--http-port " + wanted + ": " + address + ":" + wanted + " is in use; choose another port, or 0 for a free one");
    }

    private static boolean canBind(String address, int port) {
        try (var probe = new ServerSocket()) {
            probe.setReuseAddress(true); // as the HTTP server binds: a closed connection in TIME_WAIT does not block it
            probe.bind(new InetSocketAddress(address, port));
            return true;
        } catch (IOException busy) {
            return false;
        }
    }

    /** Starts on a Monday 08:00 in Shanghai about two weeks back, so accelerated time never runs into the future. */
    private SimConfig simConfig() {
        var monday = LocalDate.now(SimConfig.ZONE).minusDays(14).with(TemporalAdjusters.previousOrSame(DayOfWeek.MONDAY));
        var start = monday.atTime(8, 0).atZone(SimConfig.ZONE).toInstant();
        return new SimConfig(seed, users, 2, Math.min(days, 13), start, EnumSet.allOf(ScenarioKind.class),
                Duration.ofMinutes(40), Duration.ofMinutes(15), false);
    }

    private void banner(EmbeddedKafkaBroker broker, Service service, AppConfig config, Simulator sim, Duration startup) {
        var topology = config.topology();
        var url = service.httpUrl();
        var fallback = httpPort == null && !url.endsWith(":" + DEFAULT_HTTP_PORT) ? "  (port " + DEFAULT_HTTP_PORT + " is busy)" : "";
        out.printf(Locale.ROOT, """
                ------------------------------------------------------------------------------
                 Broker      %s  (started in %.1f s; e.g. kcat -b %s -L)
                 HTTP API    %s%s
                             %s/api/incidents  %s/metrics  %s/health/ready
                 Topics      %s (events, Avro), %s (incidents, Avro), %s%s
                 Traffic     %d accounts in %d tenants from %s, %.0fx real time
                 Scenarios   bulk export, record enumeration, denied-access burst, credential stuffing, export spike
                 Stop        Ctrl-C
                ------------------------------------------------------------------------------
                %-15s %-8s %-20s %-24s %s
                """, broker.bootstrapServers(), startup.toMillis() / 1000.0, broker.bootstrapServers(),
                url, fallback, url, url, url,
                topology.inputTopic(), topology.incidentsTopic(), topology.dlqTopic(),
                topology.notices().enabled() ? ",\n                             " + topology.notices().topic() + " (notice tasks, Avro)" : "",
                sim.config().users(), sim.config().tenants(), TIME.format(sim.config().start()), speed,
                "time (Shanghai)", "severity", "rule", "actor", "summary");
        out.flush();
    }

    private void startTraffic(EmbeddedKafkaBroker broker, InMemorySchemaRegistry registry, AppConfig config, Simulator sim) {
        var topic = config.topology().inputTopic();
        var thread = new Thread(() -> {
            try (var producer = AvroClients.eventProducer(broker.bootstrapServers(), registry)) {
                var paced = new Pacer(sim.events(), sim.config().start(), speed, stopping::get);
                while (paced.hasNext()) {
                    producer.send(AvroClients.record(topic, paced.next()));
                    events.incrementAndGet();
                }
            } catch (RuntimeException e) {
                if (!stopping.get()) {
                    out.println("traffic stopped: " + e.getMessage());
                }
            }
        }, "breachwatch-demo-traffic");
        thread.setDaemon(true);
        thread.start();
        traffic = thread;
    }

    /**
     * Prints incidents and notice tasks as they are committed, until a stop, {@code --duration} or a Kafka Streams
     * failure. One consumer reads both topics; the value is decoded by the topic it came from.
     */
    private void printOutput(EmbeddedKafkaBroker broker, InMemorySchemaRegistry registry, AppConfig config, Service service) {
        long deadline = durationSeconds == null ? Long.MAX_VALUE : System.nanoTime() + TimeUnit.SECONDS.toNanos(durationSeconds);
        var topology = config.topology();
        var incidentValues = AvroSerde.<Incident>forValues(registry, Incident.getClassSchema()).deserializer();
        var noticeValues = AvroSerde.<BreachNotice>forValues(registry, BreachNotice.getClassSchema()).deserializer();
        Deserializer<SpecificRecord> values = (topic, data) -> topic.equals(topology.incidentsTopic())
                ? incidentValues.deserialize(topic, data) : noticeValues.deserialize(topic, data);
        var topics = topology.notices().enabled() ? List.of(topology.incidentsTopic(), topology.notices().topic()) : List.of(topology.incidentsTopic());
        try (var consumer = AvroClients.consumer(broker.bootstrapServers(), "breachwatch-demo-console", values)) {
            consumer.subscribe(topics);
            while (!stopping.get() && System.nanoTime() < deadline && !service.runtime().failed()) {
                for (var record : consumer.poll(Duration.ofMillis(200))) {
                    if (record.value() instanceof Incident incident) {
                        print(incident);
                    } else if (record.value() instanceof BreachNotice notice) {
                        print(notice);
                    }
                }
            }
        } finally {
            consoleClosed.countDown();
        }
    }

    private void print(Incident incident) {
        var actor = incident.getUserId() != null ? incident.getUserId() : String.valueOf(incident.getSourceIp());
        (incident.getRevision() > 1 ? updates : incidents).incrementAndGet();
        var tag = incident.getStatus() == IncidentStatus.RESOLVED ? "  resolved r" + incident.getRevision() + ": "
                : incident.getRevision() > 1 ? "  update r" + incident.getRevision() + ": " : "";
        line(incident.getDetectedAt(), incident.getSeverity().name(), incident.getRuleId(), incident.getTenantId() + "/" + actor,
                tag + incident.getSummary());
    }

    /** One line per notice task: what duty, to whom, due when. */
    private void print(BreachNotice notice) {
        notices.incrementAndGet();
        var affected = notice.getAffected();
        var actor = affected.getUserId() != null ? affected.getUserId() : String.valueOf(affected.getSourceIp());
        var again = notice.getNoticeRevision() > 1 ? " (again: " + String.join(", ", notice.getChanges()) + ")" : "";
        line(notice.getIssuedAt(), notice.getSeverity(), notice.getRuleId(), notice.getTenantId() + "/" + actor,
                String.format(Locale.ROOT, "  NOTICE %s to %s, due %s%s, %,d individuals%s",
                        notice.getObligation(), notice.getRecipient().name().toLowerCase(Locale.ROOT),
                        TIME.format(Instant.ofEpochMilli(notice.getDueAt())),
                        Obligations.ASSESS.equals(notice.getApplies()) ? " (assess)" : "", affected.getCount(), again));
    }

    private void line(Instant time, String severity, String rule, String actor, String text) {
        out.printf(Locale.ROOT, "%-15s %-8s %-20s %-24s %s%n", TIME.format(time), severity, rule, actor, text);
        out.flush();
    }

    /** A step of the shutdown hook: the first one to run marks the stop as a signal's and silences the logs. */
    private GracefulShutdown.Step onSignal(Runnable action) {
        return () -> {
            signalled.set(true);
            stopping.set(true);
            Logging.silence();
            action.run();
            return true;
        };
    }

    private void awaitConsoleClosed() {
        try {
            consoleClosed.await(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void stopTraffic() {
        stopping.set(true);
        var thread = traffic;
        if (thread == null) {
            return;
        }
        try {
            thread.join(TimeUnit.SECONDS.toMillis(10));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void closeBroker(EmbeddedKafkaBroker broker, Path base) {
        broker.stop();
        if (dataDir == null) {
            EmbeddedKafkaBroker.deleteRecursively(base);
        }
    }

    private void printSummary() {
        if (summaryPrinted.compareAndSet(false, true)) {
            out.printf(Locale.ROOT, "Breachwatch demo stopped: %,d events, %,d incidents, %,d updates, %,d notice tasks.%n",
                    events.get(), incidents.get(), updates.get(), notices.get());
            out.flush();
        }
    }
}
