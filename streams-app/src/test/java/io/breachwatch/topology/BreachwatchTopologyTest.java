package io.breachwatch.topology;

import io.breachwatch.config.Settings;
import io.breachwatch.serde.InMemorySchemaRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class BreachwatchTopologyTest {

    @Test
    void namesEveryStoreAndInternalTopic() {
        var description = BreachwatchTopology.build(TopologyConfig.from(Settings.empty()), new InMemorySchemaRegistry(),
                new SimpleMeterRegistry()).describe().toString();

        assertThat(description).doesNotContain("KSTREAM-", "KTABLE-", "STATE-STORE-0");
        assertThat(description).contains("events-by-user-repartition", "events-by-source-ip-repartition", "bulk-export-windows",
                "credential-stuffing-windows", "incidents", "incident-cases", "crm.access-events.dlq", "crm.incidents");
    }

    @Test
    void buildsWithNoRuleEnabled() {
        var settings = Settings.of(TopologyHarness.only(java.util.Map.of()));
        var description = BreachwatchTopology.build(TopologyConfig.from(settings), new InMemorySchemaRegistry(),
                new SimpleMeterRegistry()).describe().toString();

        assertThat(description).contains("dead-letter-sink").doesNotContain("incidents-sink");
    }
}
