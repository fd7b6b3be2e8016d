package io.breachwatch.detect;

import io.breachwatch.schema.AccessEvent;
import io.breachwatch.schema.Action;
import io.breachwatch.schema.Incident;
import io.breachwatch.schema.Severity;

/** credential-stuffing: distinct users with a failed login from one source IP of one tenant over a window. */
public record CredentialStuffingDetector(WindowRuleConfig config) implements Detector {
    public static final String RULE = "credential-stuffing";
    public static final WindowRuleConfig.Keys KEYS = WindowRuleConfig.Keys.of(RULE, "the distinct users failing to log in from one IP",
            new WindowRuleConfig.Defaults("10m", "1m", "2m", 10, Severity.HIGH));

    public CredentialStuffingDetector {
        KEYS.requireDistinctCountable(config);
    }

    @Override
    public String incidentType() {
        return "account_takeover";
    }

    @Override
    public EntityKind entityKind() {
        return EntityKind.SOURCE_IP;
    }

    /** An access pattern: data may have been reached, none was seen leaving. */
    @Override
    public boolean dataLeft() {
        return false;
    }

    @Override
    public boolean counts(AccessEvent event) {
        return event.getAction() == Action.LOGIN_FAILED;
    }

    @Override
    public String distinctValue(AccessEvent event) {
        return event.getUserId();
    }

    @Override
    public boolean distinctAreCustomers() {
        return false;
    }

    @Override
    public double observed(WindowAggregate window) {
        return window.distinctCount();
    }

    /** Failed logins returned no data. */
    @Override
    public long affectedIndividuals(Incident incident) {
        return 0;
    }

    @Override
    public String summary(Incident incident) {
        return "Logins failed for " + Summaries.count(incident.getObserved()) + " distinct users of tenant "
                + incident.getTenantId() + " from one source IP address" + Summaries.windowAndSpan(incident, config.window());
    }
}
