package io.breachwatch.detect;

import io.breachwatch.schema.Baseline;

import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What a rule saw for one entity: the observed value above the threshold, over a window of activity.
 * Findings never leave the task that made them (no serde): the incident stage turns them into incidents
 * right away.
 *
 * @param window      the events involved (counts, first/last seen, evidence, PI fields, destinations)
 * @param baseline    the baseline the rule compared with, or null
 * @param crossBorder whether data went outside the tenant's allowed countries (PIPL Arts. 38-40)
 * @param related     incident ids this finding refers to (correlation rules)
 * @param attributes  rule-specific details: ids and counts only; kept in key order, so that an incident's attributes
 *                    come out in the same order in every run ({@code Map.of} iterates in an order that changes from
 *                    one JVM to the next)
 */
public record Finding(IncidentRule rule, String entity, long windowStart, long windowEnd, double observed,
                      WindowAggregate window, Baseline baseline, boolean crossBorder, List<String> related,
                      Map<String, String> attributes) {

    public Finding {
        related = List.copyOf(related);
        // most findings (the windowed rules') have none: no sorted map to make for each of them
        attributes = attributes.isEmpty() ? Map.of() : Collections.unmodifiableSortedMap(new TreeMap<>(Map.copyOf(attributes)));
    }

    /** A plain windowed finding. */
    public Finding(IncidentRule rule, String entity, long windowStart, long windowEnd, double observed, WindowAggregate window) {
        this(rule, entity, windowStart, windowEnd, observed, window, null, false, List.of(), Map.of());
    }

    public String ruleId() {
        return rule.ruleId();
    }

    /** {@code rule|entity}: the key of the incident stage's case store. */
    public String caseKey() {
        return caseKey(ruleId(), entity);
    }

    public static String caseKey(String ruleId, String entity) {
        return ruleId + "|" + entity;
    }
}
