package io.breachwatch.metrics;

import io.breachwatch.schema.Action;
import io.breachwatch.schema.Outcome;
import io.breachwatch.schema.Severity;
import io.breachwatch.topology.DeadLetterReason;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class DetectorMetricsTest {
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final DetectorMetrics metrics = new DetectorMetrics(registry);

    @Test
    void countsWithBoundedTags() {
        metrics.consumed(Action.EXPORT, Outcome.SUCCESS);
        metrics.consumed(Action.EXPORT, Outcome.SUCCESS);
        metrics.deadLettered("deserialization");
        metrics.late("bulk-export");
        metrics.incidentEmitted("bulk-export", Severity.HIGH);
        metrics.incidentRevised("bulk-export", Severity.CRITICAL);

        assertThat(registry.get(MetricNames.EVENTS_CONSUMED).tags("action", "EXPORT", "outcome", "SUCCESS").counter().count()).isEqualTo(2);
        assertThat(registry.get(MetricNames.EVENTS_DEAD_LETTERED).tag("reason", "deserialization").counter().count()).isEqualTo(1);
        assertThat(registry.get(MetricNames.EVENTS_LATE).tag("rule", "bulk-export").counter().count()).isEqualTo(1);
        assertThat(registry.get(MetricNames.INCIDENTS_EMITTED).tags("rule", "bulk-export", "severity", "HIGH").counter().count()).isEqualTo(1);
        assertThat(registry.get(MetricNames.INCIDENTS_REVISED).tags("rule", "bulk-export", "severity", "CRITICAL").counter().count()).isEqualTo(1);
    }

    @Test
    void latencyTimersPublishHistogramsAndClampNegatives() {
        metrics.detectionLatency("bulk-export", Duration.ofSeconds(3));
        metrics.ingestLatency("bulk-export", Duration.ofMillis(-5));

        assertThat(registry.get(MetricNames.DETECTION_LATENCY).tag("rule", "bulk-export").timer().count()).isEqualTo(1);
        assertThat(registry.get(MetricNames.INGEST_LATENCY).timer().totalTime(java.util.concurrent.TimeUnit.MILLISECONDS)).isZero();
    }

    @Test
    void latencyHistogramsReachPrometheus() {
        var prometheus = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        new DetectorMetrics(prometheus).detectionLatency("bulk-export", Duration.ofSeconds(3));

        assertThat(prometheus.scrape()).contains("breachwatch_detection_latency_seconds_bucket{", "le=\"3600.0\"");
    }

    @Test
    void preRegistersEverySeriesAtZeroForTheGivenRules() {
        var prometheus = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        new DetectorMetrics(prometheus, List.of("bulk-export", "credential-stuffing"));

        var scrape = prometheus.scrape();
        for (var rule : List.of("bulk-export", "credential-stuffing")) {
            for (var severity : Severity.values()) {
                for (var name : List.of("breachwatch_incidents_emitted_total", "breachwatch_incidents_revised_total")) {
                    assertThat(scrape).contains(name + "{rule=\"" + rule + "\",severity=\"" + severity + "\"} 0.0");
                }
            }
            assertThat(scrape).contains("breachwatch_events_late_total{rule=\"" + rule + "\"} 0.0",
                    "breachwatch_incidents_suppressed_total{rule=\"" + rule + "\"} 0.0",
                    "breachwatch_detection_latency_seconds_count{rule=\"" + rule + "\"} 0",
                    "breachwatch_ingest_latency_seconds_count{rule=\"" + rule + "\"} 0");
        }
        for (var action : Action.values()) {
            for (var outcome : Outcome.values()) {
                assertThat(scrape).contains("breachwatch_events_consumed_total{action=\"" + action + "\",outcome=\"" + outcome + "\"} 0.0");
            }
        }
        for (var reason : DeadLetterReason.values()) {
            assertThat(scrape).contains("breachwatch_events_dead_lettered_total{reason=\"" + reason.code() + "\"} 0.0");
        }
    }

    @Test
    void preRegisteredCountersAreTheOnesIncremented() {
        var preRegistered = new DetectorMetrics(registry, List.of("bulk-export"));
        preRegistered.incidentEmitted("bulk-export", Severity.HIGH);

        assertThat(registry.get(MetricNames.INCIDENTS_EMITTED).tags("rule", "bulk-export", "severity", "HIGH").counter().count()).isEqualTo(1);
        assertThat(registry.get(MetricNames.INCIDENTS_EMITTED).counters()).hasSize(Severity.values().length);
    }

    @Test
    void requiresARegistry() {
        assertThatThrownBy(() -> new DetectorMetrics(null)).hasMessageContaining("MeterRegistry");
    }
}
