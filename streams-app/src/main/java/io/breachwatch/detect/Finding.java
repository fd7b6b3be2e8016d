package io.breachwatch.detect;

/**
 * One window of one entity whose observed value is above the rule's threshold. Findings never leave the task
 * that made them (no serde): the incident stage turns them into incidents right away.
 */
public record Finding(Detector detector, String entity, long windowStart, long windowEnd, double observed,
                      WindowAggregate window) {

    public String ruleId() {
        return detector.ruleId();
    }

    /** {@code rule|entity}: the key of the incident stage's case store. */
    public String caseKey() {
        return caseKey(ruleId(), entity);
    }

    public static String caseKey(String ruleId, String entity) {
        return ruleId + "|" + entity;
    }
}
