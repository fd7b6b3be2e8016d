package io.breachwatch.detect;

import io.breachwatch.config.ConfigException;
import io.breachwatch.config.Field;
import io.breachwatch.config.Settings;
import io.breachwatch.schema.Severity;

import java.time.Duration;
import java.util.List;

/**
 * The settings of one windowed threshold rule ({@code detect.<rule>.*}): hopping windows of {@code window}
 * that advance by {@code advance}, accept events up to {@code grace} late, and fire when the observed value
 * is strictly above {@code threshold}. Findings of one entity whose events lie within {@code mergeGap} of the
 * open incident extend that incident instead of opening a new one.
 */
public record WindowRuleConfig(String ruleId, boolean enabled, Duration window, Duration advance, Duration grace,
                               long threshold, Severity severity, Duration mergeGap) {

    /** Text defaults, as a user would write them in a properties file. */
    public record Defaults(String window, String advance, String grace, long threshold, Severity severity) {
    }

    /** The keys of one rule. */
    public record Keys(String ruleId, Field<Boolean> enabled, Field<Duration> window, Field<Duration> advance,
                       Field<Duration> grace, Field<Long> threshold, Field<Severity> severity, Field<Duration> mergeGap) {

        public static Keys of(String ruleId, String observedWhat, Defaults d) {
            var p = "detect." + ruleId + ".";
            return new Keys(ruleId,
                    Field.bool(p + "enabled", true, "Whether the " + ruleId + " rule runs"),
                    Field.duration(p + "window", d.window(), ruleId + ": length of the window " + observedWhat + " is measured over"),
                    Field.duration(p + "advance", d.advance(), ruleId + ": hop between window starts (at most the window)"),
                    Field.durationOrZero(p + "grace", d.grace(), ruleId + ": how late an event may arrive and still count"),
                    Field.positiveLong(p + "threshold", d.threshold(), ruleId + ": fires when " + observedWhat + " in one window is above this"),
                    Field.enumOf(p + "severity", Severity.class, d.severity(), ruleId + ": severity of its incidents (one level higher at 10x the threshold)"),
                    Field.duration(p + "merge-gap", null, ruleId + ": activity within this time of an open incident extends it (default: the window)"));
        }

        /** For rules that observe a distinct count: the threshold must lie where counting is exact. */
        public void requireDistinctCountable(WindowRuleConfig config) {
            if (config.threshold() >= WindowAggregate.MAX_DISTINCT) {
                throw new ConfigException(threshold.key(), "must be below " + WindowAggregate.MAX_DISTINCT
                        + " (distinct values are counted exactly up to that many per window), got " + config.threshold());
            }
        }

        public List<Field<?>> all() {
            return List.of(enabled, window, advance, grace, threshold, severity, mergeGap);
        }

        public WindowRuleConfig read(Settings settings) {
            var windowSize = settings.get(window);
            var hop = settings.get(advance);
            if (hop.compareTo(windowSize) > 0) {
                throw new ConfigException(advance.key(), "must not exceed " + window.key() + " (" + windowSize + "), got " + hop);
            }
            var gap = settings.get(mergeGap);
            return new WindowRuleConfig(ruleId, settings.get(enabled), windowSize, hop, settings.get(grace),
                    settings.get(threshold), settings.get(severity), gap == null ? windowSize : gap);
        }
    }

    public RuleSettings ruleSettings() {
        return new RuleSettings(ruleId, severity, threshold, window, mergeGap);
    }

    /**
     * Whether a record with timestamp {@code ts} would be dropped by every window it belongs to once stream time
     * has reached {@code streamTime}. Windows are aligned to the epoch, so the latest window holding {@code ts}
     * starts at {@code ts - ts mod advance}; a window takes no more records once {@code windowEnd + grace <= streamTime}
     * ({@link WindowedDetection}, as Kafka Streams' hopping windows).
     */
    public boolean isLate(long ts, long streamTime) {
        var latestWindowEnd = ts - Math.floorMod(ts, advance.toMillis()) + window.toMillis();
        return latestWindowEnd + grace.toMillis() <= streamTime;
    }

    /** How long the window store keeps a window: long enough to accept every record within grace. */
    public Duration retention() {
        return window.plus(grace);
    }
}
