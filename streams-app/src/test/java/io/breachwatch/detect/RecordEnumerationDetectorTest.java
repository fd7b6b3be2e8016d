package io.breachwatch.detect;

import io.breachwatch.topology.TopologyHarness;
import org.junit.jupiter.api.Test;

import java.util.stream.IntStream;

import static io.breachwatch.topology.TopologyHarness.minutes;
import static io.breachwatch.topology.TopologyHarness.view;
import static org.assertj.core.api.Assertions.assertThat;

/** record-enumeration with its defaults: 1 h windows, threshold 200 distinct customers. */
class RecordEnumerationDetectorTest {

    @Test
    void firesAboveTwoHundredDistinctCustomers() {
        try (var h = TopologyHarness.start()) {
            var incidents = h.send(IntStream.range(0, 201).mapToObj(i -> view("u-7", "c-" + i, minutes(i * 0.25))).toList()).incidents();

            assertThat(incidents).hasSize(1);
            assertThat(incidents.get(0).getDistinctCustomers()).isEqualTo(201);
            assertThat(incidents.get(0).getAffectedIndividuals()).isEqualTo(201);
            assertThat(incidents.get(0).getSummary()).startsWith("User u-7 of tenant acme viewed 201 distinct customers in 1 h (threshold 200)");
        }
    }

    @Test
    void repeatedViewsOfTheSameCustomersDoNotCount() {
        try (var h = TopologyHarness.start()) {
            h.send(IntStream.range(0, 1_000).mapToObj(i -> view("u-7", "c-" + (i % 150), minutes(i * 0.05))).toList());

            assertThat(h.incidents()).isEmpty();
        }
    }
}
