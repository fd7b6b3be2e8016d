package io.breachwatch.notice;

import io.breachwatch.metrics.DetectorMetrics;
import io.breachwatch.schema.BreachNotice;
import io.breachwatch.schema.Incident;
import io.breachwatch.schema.IncidentStatus;
import io.breachwatch.schema.Obligation;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Incidents in, notice tasks out: for each obligation of an incident that is a notice ({@link NoticeKind}), applies
 * ({@code notices.applies}) and has a deadline, one notice the first time, and another only when the content
 * changed materially since the last one ({@link NoticeContent#changesSince}). The store
 * ({@value NoticeStage#STORE}, key {@code incident_id|obligation}) keeps what was last issued; an entry goes when
 * its incident is resolved (no revision can follow) or, for one never resolved, after {@code incident.retention}.
 * Suppressed incidents give no notice.
 */
final class NoticeProcessor implements Processor<String, Incident, String, BreachNotice> {
    private final NoticeConfig config;
    private final Duration retention;
    private final DetectorMetrics metrics;
    private final Notices notices;
    private ProcessorContext<String, BreachNotice> context;
    private KeyValueStore<String, String> issued;

    NoticeProcessor(NoticeConfig config, Duration retention, DetectorMetrics metrics) {
        this.config = config;
        this.retention = retention;
        this.metrics = metrics;
        this.notices = new Notices(config);
    }

    @Override
    public void init(ProcessorContext<String, BreachNotice> context) {
        this.context = context;
        this.issued = context.getStateStore(NoticeStage.STORE);
        var purgeEvery = retention.dividedBy(4).compareTo(Duration.ofHours(1)) > 0 ? Duration.ofHours(1) : retention.dividedBy(4);
        context.schedule(purgeEvery, PunctuationType.STREAM_TIME, this::purgeStale);
    }

    @Override
    public void process(Record<String, Incident> record) {
        var incident = record.value();
        if (incident == null || incident.getStatus() == IncidentStatus.SUPPRESSED) {
            return;
        }
        for (var obligation : incident.getObligations()) {
            var kind = NoticeKind.of(obligation.getCode());
            if (kind != null && obligation.getDueAt() != null && config.applies().contains(obligation.getApplies())) {
                issue(incident, obligation, kind, record.timestamp());
            }
        }
        if (incident.getStatus() == IncidentStatus.RESOLVED) {
            NoticeKind.codes().forEach(code -> issued.delete(key(incident.getIncidentId(), code)));
        }
    }

    private void issue(Incident incident, Obligation obligation, NoticeKind kind, long timestamp) {
        var key = key(incident.getIncidentId(), kind.code());
        var stored = issued.get(key);
        var last = stored == null ? null : NoticeContent.decode(stored);
        List<String> changes = List.of();
        if (last != null) {
            changes = NoticeContent.of(incident, obligation, last.revision()).changesSince(last, config.affectedGrowth());
            if (changes.isEmpty()) {
                issued.put(key, last.seenUntil(incident.getLastSeen().toEpochMilli()).encode());
                return;
            }
        }
        var revision = last == null ? 1 : last.revision() + 1;
        issued.put(key, NoticeContent.of(incident, obligation, revision).encode());
        context.forward(new Record<>(incident.getIncidentId(), notices.build(incident, obligation, kind, revision, changes, timestamp), timestamp));
        metrics.noticeEmitted(kind.code());
    }

    static String key(String incidentId, String obligation) {
        return incidentId + "|" + obligation;
    }

    private void purgeStale(long streamTime) {
        var stale = new ArrayList<String>();
        try (var all = issued.all()) {
            all.forEachRemaining(kv -> {
                if (NoticeContent.decode(kv.value).lastSeen() + retention.toMillis() <= streamTime) {
                    stale.add(kv.key);
                }
            });
        }
        stale.forEach(issued::delete);
    }
}
