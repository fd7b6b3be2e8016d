package io.breachwatch.runtime;

import io.breachwatch.config.AppConfig;
import io.breachwatch.detect.Detector;
import io.breachwatch.http.HttpApi;
import io.breachwatch.http.KafkaStreamsView;
import io.breachwatch.metrics.AppMetrics;
import io.breachwatch.metrics.ObligationGauges;
import io.breachwatch.serde.SchemaRegistryClient;
import io.breachwatch.topology.BreachwatchTopology;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.Topology;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.UncheckedIOException;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * One running Breachwatch: metrics, the detection topology, Kafka Streams and the HTTP API, wired in the one
 * order that works, for {@code run}, {@code demo} and the integration tests alike.
 *
 * <p>Construction creates the meter registry first (its filters only apply to meters registered later), builds
 * the topology on it (for the input topic's partition count, asked of the cluster) and binds Kafka Streams' metrics. {@link #start()} starts Kafka Streams, then opens HTTP
 * over the topology's queryable stores. {@link #close()} closes HTTP, then Kafka Streams, then metrics, so that
 * nothing is served from a closing instance and the last scrape still sees the streams metrics.
 *
 * <p>The schema registry client belongs to the caller (it may outlive the service) and is not closed here.
 */
public final class Service implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Service.class);

    private final AppConfig config;
    private final AppMetrics metrics;
    private final Topology topology;
    private final StreamsRuntime runtime;
    private HttpApi http;
    private ObligationGauges obligationGauges;
    private boolean closed;

    public Service(AppConfig config, SchemaRegistryClient registry) {
        this.config = Objects.requireNonNull(config, "config");
        Objects.requireNonNull(registry, "registry");
        metrics = new AppMetrics();
        try {
            topology = BreachwatchTopology.build(config.topology(), registry, metrics.registry(), inputPartitions(config));
            runtime = new StreamsRuntime(topology, StreamsProperties.from(config));
            metrics.bindStreams(runtime.streams(), config.applicationId());
        } catch (RuntimeException e) {
            metrics.close();
            throw e;
        }
    }

    /** The input topic's partition count (it must exist by now: {@code run} and {@code demo} check or create it). */
    private static int inputPartitions(AppConfig config) {
        try (var checks = new StartupChecks(config)) {
            return checks.partitions(config.topology().inputTopic());
        }
    }

    /**
     * Starts Kafka Streams, then serves HTTP; the HTTP URL is logged and available from {@link #httpUrl()}.
     * A port that cannot be bound is a {@link StartupException}; call {@link #close()} after any failure.
     */
    public synchronized Service start() {
        if (closed) {
            throw new IllegalStateException("this service was closed; create a new one");
        }
        runtime.start();
        try {
            http = new HttpApi(config.http(), view(), metrics::scrape).start();
        } catch (UncheckedIOException | IllegalStateException e) {
            throw new StartupException(e.getMessage(), e); // names http.address / http.port
        }
        obligationGauges = new ObligationGauges(metrics.registry(), Clock.systemUTC()).start(view()::forEachIncident);
        log.info("Breachwatch HTTP API: {}/metrics, {}/health/ready, {}/api/incidents", http.url(), http.url(), http.url());
        return this;
    }

    /** Base URL of the HTTP API, e.g. {@code http://127.0.0.1:8080}; only after {@link #start()}. */
    public synchronized String httpUrl() {
        if (http == null) {
            throw new IllegalStateException("HTTP API not started: call start() first");
        }
        return http.url();
    }

    /** The Kafka Streams instance (state, interactive queries). */
    public KafkaStreams streams() {
        return runtime.streams();
    }

    /** The lifecycle of the Kafka Streams instance: waiting for RUNNING, whether it failed and why. */
    public StreamsRuntime runtime() {
        return runtime;
    }

    public Topology topology() {
        return topology;
    }

    /** True once Kafka Streams is RUNNING; false on timeout or when it stopped first. */
    public boolean awaitRunning(Duration timeout) throws InterruptedException {
        return runtime.awaitRunning(timeout);
    }

    /** Blocks until Kafka Streams has stopped (closed, or failed: see {@link StreamsRuntime#failed()}). */
    public void awaitTermination() throws InterruptedException {
        runtime.awaitTermination();
    }

    /**
     * Closes everything from a shutdown hook: HTTP, Kafka Streams, metrics, as steps of {@code shutdown}
     * (newest runs first), so that a stop closes this service before anything registered earlier, e.g. a broker.
     */
    public Service registerWith(GracefulShutdown shutdown) {
        shutdown.add("metrics", this::closeMetrics)
                .add("kafka streams", () -> runtime.close(config.shutdownTimeout()))
                .add("http", this::closeHttp);
        return this;
    }

    /** HTTP, then Kafka Streams (within shutdown.timeout), then metrics; true when all closed in time. Idempotent. */
    public boolean stop() {
        closeHttp();
        var clean = runtime.close(config.shutdownTimeout());
        closeMetrics();
        return clean;
    }

    @Override
    public void close() {
        stop();
    }

    private synchronized boolean closeHttp() {
        if (http != null) {
            http.close();
        }
        return true;
    }

    private synchronized boolean closeMetrics() {
        if (!closed) {
            closed = true;
            if (obligationGauges != null) {
                obligationGauges.close();
            }
            metrics.close();
        }
        return true;
    }

    /** The stores the API reads: the incidents and every enabled rule's windows, keyed tenant/user or tenant/ip. */
    private KafkaStreamsView view() {
        List<String> windows = config.topology().rules().stream()
                .filter(rule -> rule instanceof Detector) // the windowed threshold rules
                .map(Detector.class::cast)
                .map(Detector::ruleId)
                .map(BreachwatchTopology::windowStore)
                .toList();
        var stores = new KafkaStreamsView.Stores(BreachwatchTopology.INCIDENT_STORE, windows, List.of(),
                (tenant, actor) -> tenant + "/" + actor);
        return new KafkaStreamsView(runtime.streams(), topology.describe(), stores);
    }
}
