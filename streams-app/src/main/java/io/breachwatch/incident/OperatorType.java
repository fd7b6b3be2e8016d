package io.breachwatch.incident;

import java.time.Duration;

/**
 * Who the processor is under the CAC National Cybersecurity Incident Reporting Measures (effective 2025-11-01),
 * which sets how soon a "relatively major" incident must be reported.
 */
public enum OperatorType {
    /** Critical information infrastructure operator: 1 hour. */
    CIIO(Duration.ofHours(1)),
    /** State organ: 2 hours. */
    STATE_ORGAN(Duration.ofHours(2)),
    /** Every other network operator: 4 hours. */
    OTHER(Duration.ofHours(4));

    private final Duration reportWithin;

    OperatorType(Duration reportWithin) {
        this.reportWithin = reportWithin;
    }

    public Duration reportWithin() {
        return reportWithin;
    }
}
