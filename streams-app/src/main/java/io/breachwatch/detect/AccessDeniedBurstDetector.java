package io.breachwatch.detect;

import io.breachwatch.schema.AccessEvent;
import io.breachwatch.schema.Incident;
import io.breachwatch.schema.Outcome;
import io.breachwatch.schema.Severity;

/** access-denied-burst: DENIED outcomes of one user over a window: probing for data beyond one's role. */
public record AccessDeniedBurstDetector(WindowRuleConfig config) implements Detector {
    public static final String RULE = "access-denied-burst";
    public static final WindowRuleConfig.Keys KEYS = WindowRuleConfig.Keys.of(RULE, "the denied accesses of one user",
            new WindowRuleConfig.Defaults("10m", "1m", "2m", 20, Severity.MEDIUM));

    @Override
    public String incidentType() {
        return "unauthorized_access";
    }


    /** An access pattern: data may have been reached, none was seen leaving. */
    @Override
    public boolean dataLeft() {
        return false;
    }

    @Override
    public boolean counts(AccessEvent event) {
        return event.getOutcome() == Outcome.DENIED;
    }

    /** The customers whose records were refused: reported as the incident's distinct customers. */
    @Override
    public String distinctValue(AccessEvent event) {
        return event.getCustomerId();
    }

    @Override
    public double observed(WindowAggregate window) {
        return window.eventCount();
    }

    /** Denied requests returned no data. */
    @Override
    public long affectedIndividuals(Incident incident) {
        return 0;
    }

    @Override
    public String summary(Incident incident) {
        return Summaries.user(incident) + " was denied access " + Summaries.count(incident.getObserved()) + " times"
                + Summaries.windowAndSpan(incident, config.window());
    }
}
