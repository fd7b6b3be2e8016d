package io.breachwatch.incident;

import io.breachwatch.detect.Finding;
import io.breachwatch.detect.RecentValues;
import io.breachwatch.metrics.DetectorMetrics;
import io.breachwatch.schema.Incident;
import io.breachwatch.schema.IncidentStatus;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

/**
 * Turns findings into incidents, one open case per {@code rule|entity}: a finding that continues the open case
 * (activity within the rule's merge gap) extends it and is emitted as the next revision only when it grew
 * (see {@link Incidents#grew}); the case store keeps the extended state in between;
 * any other finding opens a new incident. Allowlisted incidents are emitted with status SUPPRESSED. Emitted
 * incidents feed the exfiltration-chain correlation.
 *
 * <p>Lifecycle: NEW (revision 1), UPDATED (each later revision), RESOLVED (one last revision once the case has
 * been quiet for {@code incident.resolve-after} of event time; a finding after that opens a new incident with a
 * new id), SUPPRESSED (allowlisted; never resolved, forgotten after retention). Quiet cases are found on the
 * stream-time tick of this task ({@code incident.update-interval}); the task is the one that runs the rules
 * (every rule's findings stay on the partition of their entity), so any event routed to any rule on that
 * partition moves its stream time. Stale entries are purged on stream-time punctuation. Pending small changes are
 * emitted on that tick and also every {@code incident.update-interval} of wall-clock time, so the last change of
 * an incident is published when its partition's traffic pauses; resolution stays on event time.
 */
final class IncidentProcessor implements Processor<String, Finding, String, Incident> {
    private final IncidentConfig config;
    private final DetectorMetrics metrics;
    private final Incidents builder;
    private final ExfiltrationChain chain;
    private ProcessorContext<String, Incident> context;
    private KeyValueStore<String, Incident> cases;
    /**
     * The cases written last, as objects: each hopping window of an ongoing case brings a finding to check. Made anew
     * on every init: a task revived after an aborted transaction re-inits the same processor over restored state.
     */
    private RecentValues<Incident> recentCases;
    private KeyValueStore<String, Incident> incidents;
    private KeyValueStore<String, String> abuses;

    IncidentProcessor(IncidentConfig config, DetectorMetrics metrics) {
        this.config = config;
        this.metrics = metrics;
        this.builder = new Incidents(config.pi(), new Obligations(config.obligations()), config.pseudonymizer());
        this.chain = new ExfiltrationChain(config.chain());
    }

    @Override
    public void init(ProcessorContext<String, Incident> context) {
        this.context = context;
        this.cases = context.getStateStore(IncidentStage.CASE_STORE);
        this.recentCases = new RecentValues<>(RecentValues.DEFAULT_BUDGET_BYTES, IncidentProcessor::estimatedBytes);
        this.incidents = context.getStateStore(IncidentStage.INCIDENT_STORE);
        this.abuses = context.getStateStore(IncidentStage.CHAIN_STORE);
        context.schedule(config.purgeInterval(), PunctuationType.STREAM_TIME, this::purgeStale);
        context.schedule(config.updateInterval(), PunctuationType.STREAM_TIME, this::tick);
        // when the task's events pause (traffic stopped, the end of a backfill) stream time stands still: a pending
        // small change would wait for the next event; it is emitted after update-interval of wall-clock time instead
        context.schedule(config.updateInterval(), PunctuationType.WALL_CLOCK_TIME, wallClock -> flushPending());
    }

    @Override
    public void process(Record<String, Finding> record) {
        var finding = record.value();
        var emitted = handle(record.key(), finding, record);
        if (emitted != null) {
            correlate(emitted, finding, record);
        }
    }

    /** Opens or extends the case of {@code caseKey}; returns the incident when a revision was emitted, else null. */
    private Incident handle(String caseKey, Finding finding, Record<String, Finding> record) {
        var now = context.currentStreamTimeMs();
        var open = openCase(caseKey);
        Incident next;
        if (open != null && !Incidents.isResolved(open)
                && Incidents.continues(open, finding, finding.rule().settings().mergeGap())) {
            if (builder.addsNothing(open, finding)) {
                return null; // the case already says all of it: nothing to merge, store or emit
            }
            var merged = builder.merge(open, finding, now);
            var emitted = incidents.get(open.getIncidentId());
            if (!Incidents.grewMaterially(emitted == null ? open : emitted, merged, finding.rule().settings().window())) {
                putCase(caseKey, merged);
                return null;
            }
            next = Incidents.revise(merged, open.getRevision());
        } else {
            next = openFresh(finding, now);
        }
        emit(caseKey, next, record.timestamp());
        record(finding, next, now, record.headers());
        if (next.getRevision() == 1 || next.getSeverity() != open.getSeverity()) {
            context.commit(); // a new incident or a new severity: visible at once, not at the next commit (Urgency)
        }
        return next;
    }

    /**
     * A new incident; its id is made from rule, entity and first window, so it can only be taken by an earlier case
     * of the same entity that was resolved and began in the same window (a short {@code incident.resolve-after}):
     * then the id is derived once more, deterministically, so a resolved incident is never revised again.
     */
    private Incident openFresh(Finding finding, long now) {
        var next = builder.open(finding, now);
        for (int reopening = 2; incidents.get(next.getIncidentId()) != null; reopening++) {
            next.setIncidentId(IncidentIds.of(finding.ruleId(), finding.entity() + "#" + reopening, finding.windowStart()));
        }
        return next;
    }

    private void emit(String caseKey, Incident next, long timestamp) {
        if (config.allowlist().suppresses(next.getTenantId(), next.getUserId(), next.getRuleId(), next.getLastSeen())) {
            next.setStatus(IncidentStatus.SUPPRESSED);
        }
        publish(caseKey, next, timestamp);
    }

    private void publish(String caseKey, Incident next, long timestamp) {
        putCase(caseKey, next);
        incidents.put(next.getIncidentId(), next);
        context.forward(new Record<>(next.getIncidentId(), next, timestamp));
    }

    private Incident openCase(String caseKey) {
        var open = recentCases.get(caseKey);
        return open != null ? open : cases.get(caseKey);
    }

    /** Stores the case; holds a copy, since the object put here is also forwarded and the cache must not share it. */
    private void putCase(String caseKey, Incident incident) {
        recentCases.forget(caseKey);
        cases.put(caseKey, incident);
        recentCases.put(caseKey, Incident.newBuilder(incident).build());
    }

    /** Rough heap of one incident: its strings and lists are short, its evidence at most 20 ids. */
    private static long estimatedBytes(Incident incident) {
        return 1_024 + 64L * (incident.getEvidenceEventIds().size() + incident.getObligations().size() + incident.getAttributes().size());
    }

    private void tick(long streamTime) {
        resolveQuiet(streamTime);
        emitPendingUpdates(streamTime);
    }

    /** The wall-clock flush: pending changes, stamped with the stream time they are known at (none before the first record). */
    private void flushPending() {
        var streamTime = context.currentStreamTimeMs();
        if (streamTime >= 0) {
            emitPendingUpdates(streamTime);
        }
    }

    /** Emits, as its last revision with status RESOLVED, every open case quiet for {@code incident.resolve-after}. */
    private void resolveQuiet(long streamTime) {
        var quiet = new ArrayList<KeyValue<String, Incident>>();
        try (var all = cases.all()) {
            all.forEachRemaining(kv -> {
                if (Incidents.isQuiet(kv.value, streamTime, config.resolveAfter())) {
                    quiet.add(kv);
                }
            });
        }
        for (var kv : quiet) {
            publish(kv.key, Incidents.resolve(kv.value, streamTime, config.resolveAfter()), streamTime);
            metrics.incidentResolved(kv.value.getRuleId());
        }
    }

    /**
     * Emits, as the next revision, every open case that changed since its last emitted revision without
     * growing materially: at most one such revision per incident per update interval (stream time).
     */
    private void emitPendingUpdates(long streamTime) {
        var pending = new ArrayList<KeyValue<String, Incident>>();
        try (var all = cases.all()) {
            all.forEachRemaining(kv -> {
                var emitted = incidents.get(kv.value.getIncidentId());
                if (emitted != null && emitted.getRevision() == kv.value.getRevision() && !Incidents.isResolved(kv.value)
                        && Incidents.changed(emitted, kv.value)) {
                    pending.add(kv);
                }
            });
        }
        for (var kv : pending) {
            var next = Incidents.revise(kv.value, kv.value.getRevision());
            next.setDetectedAt(java.time.Instant.ofEpochMilli(streamTime));
            emit(kv.key, next, streamTime);
            if (next.getStatus() == IncidentStatus.SUPPRESSED) {
                metrics.incidentSuppressed(next.getRuleId());
            } else {
                metrics.incidentRevised(next.getRuleId(), next.getSeverity());
            }
        }
    }

    /** Remembers access abuse; an export after recent abuse by the same user opens or extends a chain incident. */
    private void correlate(Incident incident, Finding finding, Record<String, Finding> record) {
        if (incident.getStatus() == IncidentStatus.SUPPRESSED || incident.getUserId() == null) {
            return;
        }
        var entity = incident.getEntity();
        if (chain.isAbuse(incident.getRuleId())) {
            abuses.put(entity, new ExfiltrationChain.Abuse(incident.getIncidentId(), incident.getRuleId(),
                    incident.getFirstSeen().toEpochMilli(), incident.getLastSeen().toEpochMilli()).encode());
        } else if (chain.isExport(incident.getRuleId())) {
            var abuse = abuses.get(entity);
            var chained = abuse == null ? null : chain.chain(ExfiltrationChain.Abuse.decode(abuse), incident, finding);
            if (chained != null) {
                handle(chained.caseKey(), chained, record);
            }
        }
    }

    private void record(Finding finding, Incident incident, long now, Headers headers) {
        var rule = finding.ruleId();
        if (incident.getStatus() == IncidentStatus.SUPPRESSED) {
            metrics.incidentSuppressed(rule);
        } else if (incident.getRevision() == 1) {
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
        resolveQuiet(streamTime); // resolve-after is shorter than retention: no case is forgotten unresolved
        purge(cases, i -> Incidents.isStale(i, streamTime, config.retention())).forEach(recentCases::forget);
        purge(incidents, i -> Incidents.isStale(i, streamTime, config.retention()));
        purge(abuses, a -> ExfiltrationChain.Abuse.decode(a).lastSeen() + config.retention().toMillis() <= streamTime);
    }

    /** Deletes the entries that are stale; returns their keys. */
    private static <V> List<String> purge(KeyValueStore<String, V> store, Predicate<V> stale) {
        var keys = new ArrayList<String>();
        try (var all = store.all()) {
            all.forEachRemaining(kv -> {
                if (stale.test(kv.value)) {
                    keys.add(kv.key);
                }
            });
        }
        keys.forEach(store::delete);
        return keys;
    }
}
