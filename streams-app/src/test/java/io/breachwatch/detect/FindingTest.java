package io.breachwatch.detect;

import io.breachwatch.config.Settings;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class FindingTest {
    private final BulkExportDetector rule = new BulkExportDetector(BulkExportDetector.KEYS.read(Settings.of(Map.of())));

    @Test
    void attributesComeInKeyOrderSoThatEveryRunWritesTheSameIncident() {
        // Map.of iterates in an order salted per JVM: replaying the same input twice wrote attributes in two orders
        var attributes = Map.of("to_country", "NL", "speed_kmh", "5916", "from_country", "CN", "distance_km", "8873",
                "elapsed_minutes", "90");

        var finding = new Finding(rule, "acme/u-1", 0, 3_600_000, 5916, new WindowAggregate(), null, false, List.of(), attributes);

        assertThat(finding.attributes().keySet()).containsExactly("distance_km", "elapsed_minutes", "from_country", "speed_kmh", "to_country");
        assertThat(finding.attributes()).isEqualTo(attributes);
        assertThatThrownBy(() -> finding.attributes().put("window", "PT1H")).isInstanceOf(UnsupportedOperationException.class);
    }
}
