package io.breachwatch.detect;

import io.breachwatch.metrics.DetectorMetrics;
import io.breachwatch.schema.AccessEvent;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.kstream.Grouped;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.Materialized;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.state.WindowStore;

/**
 * The part of the topology every windowed threshold rule shares:
 * <pre>
 * events by entity -> counts? -> drop late (counted)
 *        -> hopping windows -> aggregate into store "&lt;rule&gt;-windows" -> above threshold? -> Finding
 * </pre>
 * Every processor, store and internal topic is named after the rule, so names stay stable when rules are added.
 * The window store runs without a record cache: each update is forwarded in input order, which keeps incident
 * ids identical across replays whatever the commit timing.
 */
public final class WindowedDetection {
    private WindowedDetection() {
    }

    /** Name of the window store of {@code ruleId}: key entity, value {@link WindowAggregate}. */
    public static String windowStoreName(String ruleId) {
        return ruleId + "-windows";
    }

    public static KStream<String, Finding> findings(KStream<String, AccessEvent> events, Detector detector,
                                                    RuleContext context) {
        var eventSerde = context.eventSerde();
        var metrics = context.metrics();
        var rule = detector.config();
        var id = rule.ruleId();
        return events
                .filter((entity, e) -> detector.counts(e), Named.as(id + "-select"))
                .processValues(() -> new LateRecordFilter<String, AccessEvent>(rule, metrics), Named.as(id + "-drop-late"))
                .groupByKey(Grouped.with(id + "-grouped", Serdes.String(), eventSerde))
                .windowedBy(rule.timeWindows())
                .aggregate(WindowAggregate::new,
                        (entity, event, window) -> window.add(event, detector.distinctValue(event)),
                        Named.as(id + "-aggregate"),
                        context.stores().apply(Materialized.<String, WindowAggregate, WindowStore<Bytes, byte[]>>as(windowStoreName(id))
                                .withKeySerde(Serdes.String())
                                .withValueSerde(WindowAggregate.SERDE)
                                .withRetention(rule.retention())
                                .withCachingDisabled()))
                .toStream(Named.as(id + "-window-updates"))
                .filter((window, agg) -> agg != null && detector.observed(agg) > rule.threshold(), Named.as(id + "-above-threshold"))
                .map((window, agg) -> {
                    var finding = new Finding(detector, window.key(), window.window().start(), window.window().end(),
                            detector.observed(agg), agg);
                    return KeyValue.pair(finding.caseKey(), finding);
                }, Named.as(id + "-finding"));
    }
}
