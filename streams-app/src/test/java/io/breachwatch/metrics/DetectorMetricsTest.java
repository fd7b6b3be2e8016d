package io.breachwatch.metrics;

import io.breachwatch.schema.Action;
import io.breachwatch.schema.Outcome;
import io.breachwatch.schema.Severity;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import org.junit.jupiter.api.Test;

import java.time.Duration;

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
    void requiresARegistry() {
        assertThatThrownBy(() -> new DetectorMetrics(null)).hasMessageContaining("MeterRegistry");
    }
}
