package io.breachwatch.sim;

import io.breachwatch.detect.CrossBorderTransferDetector;
import io.breachwatch.detect.OffHoursExportDetector;
import io.breachwatch.detect.SensitiveDataAccessDetector;
import io.breachwatch.topology.TopologyHarness;
import org.junit.jupiter.api.Test;

import java.util.EnumSet;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** A simulated week through the policy rules with their defaults: each policy scenario found by its rule, no benign account flagged. */
class PolicyScenariosDetectionTest {

    @Test
    void policyRulesFindTheirScenariosAndNoBenignAccount() {
        var kinds = EnumSet.of(ScenarioKind.SENSITIVE_DATA_ACCESS, ScenarioKind.OFF_HOURS_EXPORT, ScenarioKind.CROSS_BORDER_TRANSFER);
        var sim = new Simulator(SimConfig.of(5, 90, 3, 7).withScenarios(kinds));
        try (var h = TopologyHarness.start(TopologyHarness.only(Map.of(),
                SensitiveDataAccessDetector.RULE, OffHoursExportDetector.RULE, CrossBorderTransferDetector.RULE))) {
            sim.events().forEachRemaining(h::send);
            var found = DetectionCheck.found(h.incidents());

            assertThat(sim.labels()).hasSize(9);
            DetectionCheck.assertEveryScenarioDetectedAndNothingElse(sim.labels(), found);
        }
    }
}
