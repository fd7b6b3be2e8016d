package io.breachwatch.incident;

import io.breachwatch.config.Settings;
import io.breachwatch.detect.BulkExportDetector;
import io.breachwatch.detect.Finding;
import io.breachwatch.detect.MockContexts;
import io.breachwatch.detect.WindowAggregate;
import io.breachwatch.metrics.DetectorMetrics;
import io.breachwatch.schema.Incident;
import io.breachwatch.schema.Severity;
import io.breachwatch.serde.AvroBinarySerde;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.processor.api.MockProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static io.breachwatch.topology.TopologyHarness.export;
import static io.breachwatch.topology.TopologyHarness.minutes;
import static org.assertj.core.api.Assertions.assertThat;

/** What the incident stage asks of Kafka Streams besides its output: a commit when a reader must see a change at once. */
class IncidentProcessorTest {
    private final BulkExportDetector rule = new BulkExportDetector(BulkExportDetector.KEYS.read(Settings.of(Map.of())));
    private final MockProcessorContext<String, Incident> context = new MockProcessorContext<>();
    private final WindowAggregate window = new WindowAggregate();

    @Test
    void aNewIncidentAndANewSeverityAskForACommitAndOtherRevisionsDoNot() {
        var serde = new AvroBinarySerde<Incident>(Incident.getClassSchema());
        MockContexts.addStore(context, IncidentStage.CASE_STORE, serde);
        MockContexts.addStore(context, IncidentStage.INCIDENT_STORE, serde);
        MockContexts.addStore(context, IncidentStage.CHAIN_STORE, Serdes.String());
        var processor = new IncidentProcessor(IncidentConfig.from(Settings.of(Map.of()), List.of(rule)), new DetectorMetrics(new SimpleMeterRegistry()));
        processor.init(context);

        processor.process(exported(1, 20_000)); // threshold 10,000
        assertThat(emitted()).extracting(Incident::getRevision, Incident::getSeverity).containsExactly(1, Severity.HIGH);
        assertThat(context.committed()).as("a new incident").isTrue();

        processor.process(exported(2, 10_000));
        assertThat(emitted()).extracting(Incident::getRevision, Incident::getSeverity).containsExactly(2, Severity.HIGH);
        assertThat(context.committed()).as("grown by half, same severity: the next commit will do").isFalse();

        processor.process(exported(3, 90_000));
        assertThat(emitted()).extracting(Incident::getRevision, Incident::getSeverity).containsExactly(3, Severity.CRITICAL);
        assertThat(context.committed()).as("10x the threshold: a new severity").isTrue();
    }

    /** The window's finding after one more export at {@code minute}; forgets the last commit request. */
    private Record<String, Finding> exported(double minute, long records) {
        context.resetCommit();
        window.add(export("u-1", minutes(minute), records), null);
        var start = minutes(0).toEpochMilli();
        var finding = new Finding(rule, "acme/u-1", start, start + 3_600_000, rule.observed(window), window.copy());
        context.setCurrentStreamTimeMs(window.lastSeen());
        return new Record<>(finding.caseKey(), finding, window.lastSeen());
    }

    /** The one incident emitted since the last call. */
    private Incident emitted() {
        assertThat(context.forwarded()).hasSize(1);
        var incident = context.forwarded().get(0).record().value();
        context.resetForwards();
        return incident;
    }
}
