package io.breachwatch.topology;

import io.breachwatch.config.ConfigException;
import io.breachwatch.config.Field;
import io.breachwatch.config.Settings;
import io.breachwatch.detect.BulkExportDetector;
import io.breachwatch.detect.Detector;
import io.breachwatch.detect.Rule;
import io.breachwatch.schema.Severity;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class TopologyConfigTest {

    @Test
    void fieldsListTopicsEveryRuleKeyAndIncidentKeys() {
        var keys = TopologyConfig.fields().stream().map(Field::key).toList();

        assertThat(keys).contains("topics.input", "topics.incidents", "topics.dlq", "incident.retention");
        for (var rule : new String[]{"bulk-export", "record-enumeration", "access-denied-burst", "credential-stuffing"}) {
            for (var k : new String[]{"enabled", "window", "advance", "grace", "threshold", "severity", "merge-gap"}) {
                assertThat(keys).contains("detect." + rule + "." + k);
            }
        }
        assertThat(keys).doesNotHaveDuplicates();
        Settings.empty().validate(TopologyConfig.fields());
    }

    @Test
    void defaultsSuitAMidSizeCrm() {
        var config = TopologyConfig.from(Settings.empty());

        assertThat(config.rules()).extracting(Rule::ruleId)
                .containsExactly("bulk-export", "record-enumeration", "access-denied-burst", "credential-stuffing",
                        "impossible-travel", "dormant-account", "session-hijack",
                        "sensitive-data-access", "off-hours-export", "cross-border-transfer", "export-baseline");
        var bulk = ((Detector) config.rules().get(0)).config();
        assertThat(bulk.window()).isEqualTo(Duration.ofHours(1));
        assertThat(bulk.threshold()).isEqualTo(10_000);
        assertThat(bulk.severity()).isEqualTo(Severity.HIGH);
        assertThat(bulk.mergeGap()).isEqualTo(bulk.window());
    }

    @Test
    void disabledRulesAreLeftOut() {
        var config = TopologyConfig.from(Settings.of(Map.of("detect.bulk-export.enabled", "false")));

        assertThat(config.rules()).extracting(Rule::ruleId).doesNotContain(BulkExportDetector.RULE);
    }

    @Test
    void badValuesFailNamingTheKey() {
        assertFailsOn("detect.bulk-export.advance", Map.of("detect.bulk-export.advance", "2h"));
        assertFailsOn("detect.bulk-export.threshold", Map.of("detect.bulk-export.threshold", "0"));
        assertFailsOn("detect.record-enumeration.threshold", Map.of("detect.record-enumeration.threshold", "20000"));
        assertFailsOn("detect.access-denied-burst.severity", Map.of("detect.access-denied-burst.severity", "urgent"));
        assertFailsOn("incident.retention", Map.of("incident.retention", "30m"));
        assertFailsOn("topics.dlq", Map.of("topics.dlq", "crm.access-events"));
    }

    private static void assertFailsOn(String key, Map<String, String> settings) {
        assertThatThrownBy(() -> TopologyConfig.from(Settings.of(settings)))
                .isInstanceOf(ConfigException.class)
                .satisfies(e -> assertThat(((ConfigException) e).key()).isEqualTo(key));
    }
}
