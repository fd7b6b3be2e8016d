package io.breachwatch.detect;

import io.breachwatch.metrics.DetectorMetrics;
import io.breachwatch.schema.AccessEvent;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;

import java.util.ArrayList;
import java.util.NavigableMap;
import java.util.TreeMap;

/**
 * The part of the topology every windowed threshold rule shares:
 * <pre>
 * events by entity -> processor "&lt;rule&gt;-aggregate": counts? -> late? (counted, dropped)
 *        -> hopping windows of the entity, in key-value store "&lt;rule&gt;-windows" -> above threshold? -> Finding
 * </pre>
 * The windows behave exactly as Kafka Streams' hopping {@code TimeWindows} with grace and no record cache: windows
 * aligned to the epoch, an event updates every window holding it that has not closed ({@code end + grace} after the
 * largest timestamp this processor has seen), the windows it updated are compared with the threshold in window-start
 * order, with the window's latest event time as the record time. They are kept differently: all windows of
 * one entity in one entry ({@link EntityWindows}) rather than one store entry per window, so an event costs one
 * read and one write instead of one per window (a dozen with 1 h windows advancing by 5 min), and windows with the
 * same content are one object, updated and stored once ({@link EntityWindows#add}).
 *
 * <p>Findings are forwarded as each event is processed, whatever the store holds back, so incident ids are
 * identical across replays whatever the commit timing; the store may therefore hold writes until the commit
 * ({@link BufferedKeyValueStore}), which spares RocksDB and the changelog all but the last write of an entity per
 * commit. Closed windows are dropped when the
 * entity is next written, and entities whose windows have all closed by a stream-time punctuation.
 */
public final class WindowedDetection {
    private WindowedDetection() {
    }

    /** Name of the window store of {@code ruleId}: key entity, value its windows encoded (see {@link EntityWindows}). */
    public static String windowStoreName(String ruleId) {
        return ruleId + "-windows";
    }

    public static KStream<String, Finding> findings(KStream<String, AccessEvent> events, Detector detector,
                                                    RuleContext context) {
        var metrics = context.metrics();
        var rule = detector.config();
        var id = rule.ruleId();
        var storeName = windowStoreName(id);
        var stores = context.stores();
        // the processor encodes the windows itself, so a purge can read each entity's newest window without the rest
        context.builder().addStateStore(stores.ofObjects(stores.keyValue(storeName, Serdes.String(), Serdes.ByteArray())));
        // one processor, not a filter and a late filter before it: every node an event passes costs Kafka Streams a
        // record, a copy of its headers and a record context (a fifth of what replay allocated), and this runs for
        // every event and windowed rule
        return events.process(() -> new WindowAggregator(detector, storeName, metrics), Named.as(id + "-aggregate"), storeName);
    }

    /**
     * Takes the events the detector counts, drops (and counts in {@code breachwatch.events.late}) those every window
     * of which has closed, adds the others to the entity's open hopping windows and forwards a finding for each
     * window above the threshold.
     */
    static final class WindowAggregator implements Processor<String, AccessEvent, String, Finding> {
        private final Detector detector;
        private final WindowRuleConfig rule;
        private final DetectorMetrics metrics;
        private final String storeName;
        private final long size;
        private final long advance;
        private final long grace;
        private final long threshold;
        private final EntityWindows.Encoder encoder = new EntityWindows.Encoder();
        private ProcessorContext<String, Finding> context;
        private KeyValueStore<String, byte[]> store;
        /** The largest timestamp seen by this processor: windows close on it, as in Kafka Streams' window aggregation. */
        private long observedStreamTime = Long.MIN_VALUE;
        /** Set anew on every init: a task revived after an aborted transaction re-inits the same processor over restored state. */
        private RecentValues<NavigableMap<Long, WindowAggregate>> recent;

        WindowAggregator(Detector detector, String storeName, DetectorMetrics metrics) {
            var rule = detector.config();
            this.detector = detector;
            this.rule = rule;
            this.metrics = metrics;
            this.storeName = storeName;
            this.size = rule.window().toMillis();
            this.advance = rule.advance().toMillis();
            this.grace = rule.grace().toMillis();
            this.threshold = rule.threshold();
        }

        @Override
        public void init(ProcessorContext<String, Finding> context) {
            this.context = context;
            this.store = context.getStateStore(storeName);
            this.recent = RecentValues.windows(RecentValues.DEFAULT_BUDGET_BYTES);
            var retention = detector.config().retention();
            context.schedule(KeyedStateDetection.ExpiringStateProcessor.purgeInterval(retention), PunctuationType.STREAM_TIME, t -> purge());
        }

        @Override
        public void process(Record<String, AccessEvent> record) {
            var event = record.value();
            if (!detector.counts(event)) {
                return;
            }
            var ts = record.timestamp();
            observedStreamTime = Math.max(observedStreamTime, ts);
            if (rule.isLate(ts, observedStreamTime)) {
                metrics.late(rule.ruleId());
                return;
            }
            var windows = recent.get(record.key());
            if (windows == null) {
                var stored = store.get(record.key());
                windows = stored == null ? null : EntityWindows.read(stored);
            }
            if (windows == null) {
                windows = new TreeMap<>();
            } else {
                windows.headMap(lastClosedStart(), true).clear();
            }
            recent.forget(record.key()); // held again once written: a failure below must not leave a changed copy here
            // the windows holding ts, oldest first: starts aligned to the epoch, from max(0, ts - size + advance);
            // closed ones (start + size + grace reached) are already gone, as Kafka Streams skips the record for them
            var first = Math.max(Math.max(0, ts - size + advance) / advance * advance, firstOpenStart());
            EntityWindows.add(windows, first, ts, advance, event, detector.distinctValue(event));
            for (var start = first; start <= ts; start += advance) {
                var aggregate = windows.get(start);
                var observed = detector.observed(aggregate);
                if (observed > threshold) {
                    var finding = new Finding(detector, record.key(), start, start + size, observed, aggregate);
                    context.forward(new Record<>(finding.caseKey(), finding, aggregate.lastSeen(), record.headers()));
                }
            }
            store.put(record.key(), encoder.encode(windows));
            recent.put(record.key(), windows);
        }

        /** The oldest window start that is still open: anything older has closed for good. */
        private long firstOpenStart() {
            var lastClosed = lastClosedStart();
            return lastClosed < 0 ? 0 : (lastClosed / advance + 1) * advance;
        }

        /** Start of the newest window that has closed for good (end + grace reached): it and older ones go. */
        private long lastClosedStart() {
            return observedStreamTime - size - grace;
        }

        /** Forgets entities whose windows have all closed: their newest window tells, the others stay encoded. */
        private void purge() {
            if (observedStreamTime == Long.MIN_VALUE) {
                // nothing seen since (re)start: the task's stream time moved on another rule's event, and windows
                // restored from before are judged only once this rule knows the time (else: all would look closed)
                return;
            }
            var stale = new ArrayList<String>();
            try (var all = store.all()) {
                all.forEachRemaining(kv -> {
                    if (kv.value == null || EntityWindows.newestStart(kv.value) <= lastClosedStart()) {
                        stale.add(kv.key);
                    }
                });
            }
            stale.forEach(entity -> {
                store.delete(entity);
                recent.forget(entity);
            });
        }
    }
}
