package io.breachwatch.incident;

import io.breachwatch.detect.Finding;
import io.breachwatch.metrics.DetectorMetrics;
import io.breachwatch.schema.Incident;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;

/**
 * Turns findings into incidents, one open case per {@code rule|entity}: a finding that continues the open case
 * (activity within the rule's merge gap) extends it and is emitted as the next revision only when it grew
 * (see {@link Incidents#grew}); the case store keeps the extended state in between;
 * any other finding opens a new incident. Stale cases and incidents are purged on stream-time punctuation.
 */
final class IncidentProcessor implements Processor<String, Finding, String, Incident> {
    private final IncidentConfig config;
    private final DetectorMetrics metrics;
    private ProcessorContext<String, Incident> context;
    private KeyValueStore<String, Incident> cases;
    private KeyValueStore<String, Incident> incidents;

    IncidentProcessor(IncidentConfig config, DetectorMetrics metrics) {
        this.config = config;
        this.metrics = metrics;
    }

    @Override
    public void init(ProcessorContext<String, Incident> context) {
        this.context = context;
        this.cases = context.getStateStore(IncidentStage.CASE_STORE);
        this.incidents = context.getStateStore(IncidentStage.INCIDENT_STORE);
        context.schedule(config.purgeInterval(), PunctuationType.STREAM_TIME, this::purgeStale);
    }

    @Override
    public void process(Record<String, Finding> record) {
        var finding = record.value();
        var now = context.currentStreamTimeMs();
        var open = cases.get(record.key());
        Incident next;
        if (open != null && Incidents.continues(open, finding, finding.rule().settings().mergeGap())) {
            var merged = Incidents.merge(open, finding, now);
            var emitted = incidents.get(open.getIncidentId());
            if (!Incidents.grew(emitted == null ? open : emitted, merged, finding.rule().settings().window())) {
                cases.put(record.key(), merged);
                return;
            }
            next = Incidents.revise(merged, open.getRevision());
        } else {
            next = Incidents.open(finding, now);
        }
        cases.put(record.key(), next);
        incidents.put(next.getIncidentId(), next);
        context.forward(new Record<>(next.getIncidentId(), next, record.timestamp()));
        record(finding, next, now, record.headers());
    }

    private void record(Finding finding, Incident incident, long now, Headers headers) {
        var rule = finding.ruleId();
        if (incident.getRevision() == 1) {
            metrics.incidentEmitted(rule, incident.getSeverity());
        } else {
            metrics.incidentRevised(rule, incident.getSeverity());
        }
        metrics.detectionLatency(rule, Duration.ofMillis(now - finding.window().lastEventTime()));
        var ingest = headers.lastHeader(DetectorMetrics.INGEST_TIME_HEADER);
        if (ingest != null && ingest.value() != null && ingest.value().length == Long.BYTES) {
            var ingestedAt = ByteBuffer.wrap(ingest.value()).getLong();
            metrics.ingestLatency(rule, Duration.ofMillis(context.currentSystemTimeMs() - ingestedAt));
        }
    }

    private void purgeStale(long streamTime) {
        purge(cases, streamTime);
        purge(incidents, streamTime);
    }

    private void purge(KeyValueStore<String, Incident> store, long streamTime) {
        var stale = new ArrayList<String>();
        try (var all = store.all()) {
            all.forEachRemaining(kv -> {
                if (Incidents.isStale(kv.value, streamTime, config.retention())) {
                    stale.add(kv.key);
                }
            });
        }
        stale.forEach(store::delete);
    }
}
