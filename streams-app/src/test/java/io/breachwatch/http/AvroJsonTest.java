package io.breachwatch.http;

import io.breachwatch.detect.WindowAggregate;
import org.junit.jupiter.api.Test;

import static io.breachwatch.topology.TopologyHarness.export;
import static io.breachwatch.topology.TopologyHarness.minutes;
import static org.assertj.core.api.Assertions.assertThat;

class AvroJsonTest {

    @Test
    void windowValuesRenderAsCountsAndIdsNotAsObjectText() {
        var window = new WindowAggregate()
                .add(export("alice", minutes(1), 4_000), "cust-1")
                .add(export("alice", minutes(2), 6_000), "cust-2");

        var json = AvroJson.anyToJson(window);

        assertThat(json.get("event_count").asLong()).isEqualTo(2);
        assertThat(json.get("record_count").asLong()).isEqualTo(10_000);
        assertThat(json.get("distinct_count").asLong()).isEqualTo(2);
        assertThat(json.get("evidence_event_ids")).hasSize(2);
        assertThat(json.toString()).doesNotContain("WindowAggregate@").doesNotContain("alice").doesNotContain("cust-1");
    }
}
