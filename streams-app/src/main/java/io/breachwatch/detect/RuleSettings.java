package io.breachwatch.detect;

import io.breachwatch.schema.Severity;

import java.time.Duration;

/**
 * What the incident stage needs to know of a rule.
 *
 * @param threshold the value the rule compares with (records, distinct customers, km/h, days, z-score, ...)
 * @param window    the span one finding covers; an ongoing incident is re-emitted at most once per window
 * @param mergeGap  findings whose activity lies within this time of an open incident extend it
 */
public record RuleSettings(String ruleId, Severity severity, double threshold, Duration window, Duration mergeGap) {
}
