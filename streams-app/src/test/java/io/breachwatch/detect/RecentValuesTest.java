package io.breachwatch.detect;

import org.junit.jupiter.api.Test;

import java.util.NavigableMap;
import java.util.TreeMap;

import static io.breachwatch.topology.TopologyHarness.minutes;
import static io.breachwatch.topology.TopologyHarness.view;
import static org.assertj.core.api.Assertions.assertThat;

class RecentValuesTest {
    @Test
    void holdsWhatWasWrittenUntilForgotten() {
        var recent = RecentValues.windows(RecentValues.DEFAULT_BUDGET_BYTES);
        var windows = windows(1, 10);
        recent.put("acme/u-1", windows);

        assertThat(recent.get("acme/u-1")).isSameAs(windows);
        assertThat(recent.get("acme/u-2")).isNull();
        recent.forget("acme/u-1");
        assertThat(recent.get("acme/u-1")).isNull();
        assertThat(recent.bytes()).isZero();
    }

    @Test
    void dropsTheLeastRecentlyUsedEntitiesBeyondTheBudget() {
        var recent = RecentValues.windows(4 * 1_024);
        recent.put("a", windows(1, 10)); // about 256 + 80 bytes each
        recent.put("b", windows(1, 10));
        recent.get("a");
        for (int i = 0; i < 20; i++) {
            recent.put("c" + i, windows(1, 10));
        }

        assertThat(recent.bytes()).isLessThanOrEqualTo(4 * 1_024);
        assertThat(recent.get("b")).as("least recently used").isNull();
        assertThat(recent.get("c19")).isNotNull();
    }

    @Test
    void doesNotHoldAnEntityLargerThanAQuarterOfTheBudget() {
        var recent = RecentValues.windows(16 * 1_024);
        recent.put("scraper", windows(12, 500)); // 12 windows x 500 distinct customers: ~51 KB

        assertThat(recent.get("scraper")).isNull();
        assertThat(recent.size()).isZero();
    }

    private static NavigableMap<Long, WindowAggregate> windows(int count, int distinct) {
        var windows = new TreeMap<Long, WindowAggregate>();
        for (long w = 0; w < count; w++) {
            var window = new WindowAggregate();
            for (int c = 0; c < distinct; c++) {
                var event = view("u-1", "cust-" + c, minutes(c % 50));
                window.add(event, event.getCustomerId());
            }
            windows.put(w * 300_000, window);
        }
        return windows;
    }
}
