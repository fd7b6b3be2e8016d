package io.breachwatch.metrics;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Timer;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.kstream.Consumed;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;

class AppMetricsTest {

    @Test
    void exportsJvmAndProcessMetrics() {
        try (var metrics = new AppMetrics()) {
            assertThat(metrics.scrape()).contains("jvm_memory_used_bytes{", "jvm_threads_live_threads ",
                    "jvm_classes_loaded_classes ", "process_cpu_usage ", "process_uptime_seconds ", "system_cpu_count ");
        }
    }

    @Test
    void givesLatencyTimersFixedHistogramBucketsFrom50MsTo5Min() {
        try (var metrics = new AppMetrics()) {
            Timer.builder(MetricNames.DETECTION_LATENCY).tag("rule", "bulk-export").publishPercentileHistogram()
                    .register(metrics.registry()).record(Duration.ofMillis(1200));
            Timer.builder(MetricNames.INGEST_LATENCY).tag("rule", "bulk-export")
                    .register(metrics.registry()).record(Duration.ofMillis(80));

            var scrape = metrics.scrape();
            assertThat(scrape.lines().filter(l -> l.startsWith("breachwatch_detection_latency_seconds_bucket{"))).hasSize(13);
            assertThat(scrape).contains(
                    "breachwatch_detection_latency_seconds_bucket{rule=\"bulk-export\",le=\"1.0\"} 0",
                    "breachwatch_detection_latency_seconds_bucket{rule=\"bulk-export\",le=\"2.5\"} 1",
                    "breachwatch_detection_latency_seconds_bucket{rule=\"bulk-export\",le=\"300.0\"} 1",
                    "breachwatch_ingest_latency_seconds_bucket{rule=\"bulk-export\",le=\"0.1\"} 1");
        }
    }

    @Test
    void leavesOtherTimersWithoutBuckets() {
        try (var metrics = new AppMetrics()) {
            Timer.builder("breachwatch.other").register(metrics.registry()).record(Duration.ofMillis(5));
            assertThat(metrics.scrape()).contains("breachwatch_other_seconds_count").doesNotContain("breachwatch_other_seconds_bucket");
        }
    }

    @Test
    void dropsACounterThatWentNegativeInsteadOfFailingTheScrape() {
        try (var metrics = new AppMetrics()) {
            var value = new AtomicLong(5);
            FunctionCounter.builder("kafka.stream.task.odd.total", value, AtomicLong::get).register(metrics.registry());
            assertThat(metrics.scrape()).contains("kafka_stream_task_odd_total 5.0");

            value.set(-2);
            var scrape = metrics.scrape();
            assertThat(scrape).contains("jvm_threads_live_threads").doesNotContain("kafka_stream_task_odd_total");

            FunctionCounter.builder("kafka.stream.task.odd.total", value, AtomicLong::get).register(metrics.registry());
            assertThat(metrics.scrape()).doesNotContain("kafka_stream_task_odd_total");
        }
    }

    @Test
    void bindsKafkaStreamsMetricsWithTheApplicationTagAndTheClientState(@TempDir Path stateDir) {
        var builder = new StreamsBuilder();
        builder.stream("in", Consumed.with(Serdes.String(), Serdes.String())).to("out");
        var props = new Properties();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, "metrics-test");
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "127.0.0.1:1");
        props.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
        try (var metrics = new AppMetrics(); var streams = new KafkaStreams(builder.build(), props)) {
            metrics.bindStreams(streams, "metrics-test");
            metrics.bindStreams(streams, "metrics-test");

            var scrape = metrics.scrape();
            assertThat(scrape).contains("kafka_stream_alive_stream_threads{application=\"metrics-test\"",
                    "breachwatch_streams_state{application=\"metrics-test\",state=\"CREATED\"} 1",
                    "breachwatch_streams_state{application=\"metrics-test\",state=\"RUNNING\"} 0");
            assertThat(scrape.lines().filter(l -> l.startsWith("breachwatch_streams_state{")))
                    .hasSize(KafkaStreams.State.values().length);
        }
    }
}
