package io.breachwatch.detect;

/** What the user processor of export-baseline emits; never leaves the task (split right after). */
sealed interface ExportBaselineSignal {

    /** A day above the baseline: to the incident stage. */
    record Alert(Finding finding) implements ExportBaselineSignal {
    }

    /** To the user's peer group (record key {@code tenant/role}). */
    record ToPeers(ExportBaselinePeerUpdate update) implements ExportBaselineSignal {
    }
}
