package io.breachwatch.detect;

import io.breachwatch.metrics.DetectorMetrics;
import org.apache.kafka.streams.processor.api.FixedKeyProcessor;
import org.apache.kafka.streams.processor.api.FixedKeyProcessorContext;
import org.apache.kafka.streams.processor.api.FixedKeyRecord;

/**
 * Sits right before a rule's windowed aggregation and drops, counting them in {@code breachwatch.events.late},
 * the records every window of which has already closed. It tracks stream time exactly as the aggregation does
 * (the largest timestamp seen by this processor instance), so it drops precisely what the aggregation would
 * otherwise drop silently; records that still reach at least one open window pass.
 */
final class LateRecordFilter<K, V> implements FixedKeyProcessor<K, V, V> {
    private final WindowRuleConfig rule;
    private final DetectorMetrics metrics;
    private FixedKeyProcessorContext<K, V> context;
    private long observedStreamTime = Long.MIN_VALUE;

    LateRecordFilter(WindowRuleConfig rule, DetectorMetrics metrics) {
        this.rule = rule;
        this.metrics = metrics;
    }

    @Override
    public void init(FixedKeyProcessorContext<K, V> context) {
        this.context = context;
    }

    @Override
    public void process(FixedKeyRecord<K, V> record) {
        observedStreamTime = Math.max(observedStreamTime, record.timestamp());
        if (rule.isLate(record.timestamp(), observedStreamTime)) {
            metrics.late(rule.ruleId());
            return;
        }
        context.forward(record);
    }
}
