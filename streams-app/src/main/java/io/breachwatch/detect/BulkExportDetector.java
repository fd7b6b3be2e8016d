package io.breachwatch.detect;

import io.breachwatch.schema.AccessEvent;
import io.breachwatch.schema.Action;
import io.breachwatch.schema.Incident;
import io.breachwatch.schema.Severity;

import java.util.EnumSet;
import java.util.Set;

/** bulk-export: the records one user exports (EXPORT, BULK_API, REPORT_RUN) over a window, above a threshold. */
public record BulkExportDetector(WindowRuleConfig config) implements Detector {
    public static final String RULE = "bulk-export";
    public static final WindowRuleConfig.Keys KEYS = WindowRuleConfig.Keys.of(RULE, "the records one user exports",
            new WindowRuleConfig.Defaults("1h", "5m", "5m", 10_000, Severity.HIGH));
    static final Set<Action> EXPORTS = EnumSet.of(Action.EXPORT, Action.BULK_API, Action.REPORT_RUN);

    @Override
    public String incidentType() {
        return "bulk_export";
    }


    @Override
    public boolean counts(AccessEvent event) {
        return EXPORTS.contains(event.getAction());
    }

    @Override
    public double observed(WindowAggregate window) {
        return window.recordCount();
    }

    /** Exports rarely name customers: the exported rows are the estimate. */
    @Override
    public long affectedIndividuals(Incident incident) {
        return Math.max(incident.getDistinctCustomers(), incident.getRecordCount());
    }

    @Override
    public String summary(Incident incident) {
        return Summaries.user(incident) + " exported " + Summaries.count(incident.getObserved()) + " records"
                + Summaries.windowAndSpan(incident, config.window());
    }
}
