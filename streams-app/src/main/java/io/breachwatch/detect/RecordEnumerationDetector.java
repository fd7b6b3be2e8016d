package io.breachwatch.detect;

import io.breachwatch.schema.AccessEvent;
import io.breachwatch.schema.Action;
import io.breachwatch.schema.Incident;
import io.breachwatch.schema.Severity;

import java.util.EnumSet;
import java.util.Set;

/** record-enumeration: distinct customers one user views (VIEW, LIST_VIEW, SEARCH) over a window: scraping. */
public record RecordEnumerationDetector(WindowRuleConfig config) implements Detector {
    public static final String RULE = "record-enumeration";
    public static final WindowRuleConfig.Keys KEYS = WindowRuleConfig.Keys.of(RULE, "the distinct customers one user views",
            new WindowRuleConfig.Defaults("1h", "5m", "5m", 200, Severity.HIGH));
    private static final Set<Action> READS = EnumSet.of(Action.VIEW, Action.LIST_VIEW, Action.SEARCH);

    public RecordEnumerationDetector {
        KEYS.requireDistinctCountable(config);
    }

    @Override
    public String incidentType() {
        return "record_enumeration";
    }


    @Override
    public boolean counts(AccessEvent event) {
        return READS.contains(event.getAction()) && event.getCustomerId() != null;
    }

    @Override
    public String distinctValue(AccessEvent event) {
        return event.getCustomerId();
    }

    @Override
    public double observed(WindowAggregate window) {
        return window.distinctCount();
    }

    @Override
    public String summary(Incident incident) {
        return Summaries.user(incident) + " viewed " + Summaries.count(incident.getObserved()) + " distinct customers"
                + Summaries.windowAndSpan(incident, config.window());
    }
}
