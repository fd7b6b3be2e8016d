package io.breachwatch.metrics;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.binder.MeterBinder;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmHeapPressureMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmInfoMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.kafka.KafkaStreamsMetrics;
import io.micrometer.core.instrument.binder.system.FileDescriptorMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.core.instrument.config.MeterFilter;
import io.micrometer.core.instrument.distribution.DistributionStatisticConfig;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import org.apache.kafka.streams.KafkaStreams;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;

/**
 * The application's one meter registry, rendered in the Prometheus text format for {@code /metrics}.
 *
 * <p>Binds JVM, process and system metrics at construction and Kafka Streams' own metrics per
 * {@link KafkaStreams} instance ({@link #bindStreams}). The detectors record the meters named in
 * {@link MetricNames} on {@link #registry()}; the latency timers get fixed histogram buckets here so that
 * {@code histogram_quantile} gives p50/p95/p99 with a bounded number of series.
 *
 * <p>Create it before the topology is built: a meter filter only applies to meters registered after it.
 */
public final class AppMetrics implements AutoCloseable {
    /** Gauge, tag {@code state}: 1 for the current {@link KafkaStreams.State}, 0 for every other state. */
    public static final String STREAMS_STATE = "breachwatch.streams.state";

    /** Histogram bucket bounds (Prometheus {@code le}) of the detection and ingest latency timers. */
    public static final List<Duration> LATENCY_BUCKETS = List.of(
            Duration.ofMillis(50), Duration.ofMillis(100), Duration.ofMillis(250), Duration.ofMillis(500),
            Duration.ofSeconds(1), Duration.ofMillis(2500), Duration.ofSeconds(5), Duration.ofSeconds(10),
            Duration.ofSeconds(30), Duration.ofMinutes(1), Duration.ofMinutes(2), Duration.ofMinutes(5));

    /**
     * New Kafka metrics (tasks, stores) appear after rebalances; the binder looks for them this often. Each look
     * lists every Kafka metric of the instance (thousands: per task, processor node and store) and compares it with
     * the bound set: every 10 s that was 9 % of the app's CPU samples in the latency benchmark; every 30 s it is a
     * third of that, and a new task's metrics still show within a scrape or two.
     */
    static final Duration KAFKA_METRICS_REFRESH = Duration.ofSeconds(30);

    /**
     * Kafka counts this down as records are restored but up from offsets, so under exactly-once (transaction
     * markers) it goes negative (KAFKA-20711). Micrometer exposes every Kafka "-total" metric as a counter and
     * the Prometheus client refuses a negative counter: one such value would fail the whole scrape.
     */
    static final String KAFKA_RESTORE_REMAINING = "kafka.stream.task.restore.remaining.records.total";

    private static final Logger LOG = LoggerFactory.getLogger(AppMetrics.class);
    private static final Set<String> LATENCY_TIMERS = Set.of(MetricNames.DETECTION_LATENCY, MetricNames.INGEST_LATENCY);

    private final PrometheusMeterRegistry registry;
    private final List<AutoCloseable> closeables = new ArrayList<>();
    private final Map<KafkaStreams, KafkaStreamsMetrics> streamsBinders = new IdentityHashMap<>();
    private final Set<String> negativeCounters = ConcurrentHashMap.newKeySet();
    private ScheduledExecutorService kafkaMetricsRefresher;

    public AppMetrics() {
        registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        negativeCounters.add(KAFKA_RESTORE_REMAINING);
        registry.config()
                .meterFilter(MeterFilter.deny(id -> negativeCounters.contains(id.getName())))
                .meterFilter(latencyHistograms());
        var gc = new JvmGcMetrics();
        var heapPressure = new JvmHeapPressureMetrics();
        closeables.add(gc);
        closeables.add(heapPressure);
        for (MeterBinder binder : List.of(new JvmMemoryMetrics(), gc, heapPressure, new JvmThreadMetrics(),
                new ClassLoaderMetrics(), new JvmInfoMetrics(), new ProcessorMetrics(), new UptimeMetrics(),
                new FileDescriptorMetrics())) {
            binder.bindTo(registry);
        }
    }

    /** The registry the topology and detectors record on. */
    public MeterRegistry registry() {
        return registry;
    }

    /**
     * Binds the instance's Kafka Streams metrics (threads, tasks, state stores, RocksDB, embedded clients)
     * with the tag {@code application=<applicationId>}, and the {@value #STREAMS_STATE} gauge. Binding the
     * same instance again does nothing; the binders are closed by {@link #close()}.
     */
    public synchronized void bindStreams(KafkaStreams streams, String applicationId) {
        if (streamsBinders.containsKey(streams)) {
            return;
        }
        if (kafkaMetricsRefresher == null) {
            kafkaMetricsRefresher = Executors.newSingleThreadScheduledExecutor(r -> {
                var thread = new Thread(r, "breachwatch-kafka-metrics");
                thread.setDaemon(true);
                return thread;
            });
        }
        var tags = Tags.of("application", applicationId);
        var binder = new KafkaStreamsMetrics(streams, tags, kafkaMetricsRefresher, KAFKA_METRICS_REFRESH);
        binder.bindTo(registry);
        streamsBinders.put(streams, binder);
        for (var state : KafkaStreams.State.values()) {
            Gauge.builder(STREAMS_STATE, streams, s -> s.state() == state ? 1 : 0)
                    .tags(tags.and("state", state.name()))
                    .description("1 for the Kafka Streams client's current state, 0 for the others")
                    .register(registry);
        }
    }

    /**
     * The current values in the Prometheus text format 0.0.4. A counter that went negative (a Kafka metric that
     * is not really a counter) is dropped and denied from then on, with a warning, instead of failing every scrape.
     */
    public String scrape() {
        try {
            return registry.scrape();
        } catch (IllegalArgumentException e) {
            if (!dropNegativeCounters()) {
                throw e;
            }
            return registry.scrape();
        }
    }

    private boolean dropNegativeCounters() {
        var dropped = false;
        for (var meter : registry.getMeters()) {
            if (meter instanceof FunctionCounter counter && counter.count() < 0) {
                var name = meter.getId().getName();
                if (negativeCounters.add(name)) {
                    LOG.warn("Metric {} went negative although exported as a counter; no longer exported", name);
                }
                registry.remove(meter);
                dropped = true;
            }
        }
        return dropped;
    }

    @Override
    public synchronized void close() {
        streamsBinders.values().forEach(KafkaStreamsMetrics::close);
        streamsBinders.clear();
        if (kafkaMetricsRefresher != null) {
            kafkaMetricsRefresher.shutdownNow();
        }
        for (var closeable : closeables) {
            try {
                closeable.close();
            } catch (Exception e) {
                LOG.warn("Closing a metrics binder failed: {}", e.toString());
            }
        }
        registry.close();
    }

    /** Fixed buckets (and no open-ended percentile histogram) for the latency timers, whatever their builder asked. */
    static MeterFilter latencyHistograms() {
        double[] bucketsNanos = LATENCY_BUCKETS.stream().mapToDouble(Duration::toNanos).toArray();
        return new MeterFilter() {
            @Override
            public DistributionStatisticConfig configure(Meter.Id id, DistributionStatisticConfig config) {
                if (!LATENCY_TIMERS.contains(id.getName())) {
                    return config;
                }
                return DistributionStatisticConfig.builder()
                        .percentilesHistogram(false)
                        .serviceLevelObjectives(bucketsNanos)
                        .build()
                        .merge(config);
            }
        };
    }
}
