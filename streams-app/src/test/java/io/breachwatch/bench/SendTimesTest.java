package io.breachwatch.bench;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class SendTimesTest {

    @Test
    void keepsEverySentAndAcknowledgedTimeAcrossGrowth() {
        var times = new SendTimes();
        var n = 300_000; // grows from 65,536 slots several times
        for (int i = 0; i < n; i++) {
            var key = SendTimes.hash("tenant-1/user-" + i + "@" + (1_000L + i));
            times.sent(key, 10L * i);
            if (i % 2 == 0) {
                times.acked(key, 10L * i + 3);
            }
        }
        assertThat(times.size()).isEqualTo(n);
        for (int i = 0; i < n; i += 997) {
            var key = "tenant-1/user-" + i + "@" + (1_000L + i);
            assertThat(times.sentAt(SendTimes.hash(key))).as(key).isEqualTo(10L * i);
            assertThat(times.ackedAt(SendTimes.hash(key))).as(key).isEqualTo(i % 2 == 0 ? 10L * i + 3 : SendTimes.NONE);
        }
    }

    @Test
    void aKeyNeverSentHasNoTimesAndItsAcknowledgementIsIgnored() {
        var times = new SendTimes();
        times.sent(SendTimes.hash("t/u@1"), 5);
        times.acked(SendTimes.hash("t/ip:10.0.0.1@1"), 9);
        assertThat(times.sentAt(SendTimes.hash("t/ip:10.0.0.1@1"))).isEqualTo(SendTimes.NONE);
        assertThat(times.ackedAt(SendTimes.hash("t/ip:10.0.0.1@1"))).isEqualTo(SendTimes.NONE);
        assertThat(times.size()).isEqualTo(1);
    }

    @Test
    void aLaterEventWithTheSameKeyReplacesTheTimesOfTheEarlierOne() {
        var times = new SendTimes();
        times.sent(SendTimes.hash("t/u@1"), 5);
        times.acked(SendTimes.hash("t/u@1"), 7);
        times.sent(SendTimes.hash("t/u@1"), 8);
        assertThat(times.sentAt(SendTimes.hash("t/u@1"))).isEqualTo(8);
        assertThat(times.ackedAt(SendTimes.hash("t/u@1"))).isEqualTo(SendTimes.NONE);
        assertThat(times.size()).isEqualTo(1);
    }

    @Test
    void theHashIsNeverTheEmptySlotMarker() {
        assertThat(SendTimes.hash("")).isNotZero();
        assertThat(SendTimes.hash("t/u@1")).isNotEqualTo(SendTimes.hash("t/u@2"));
    }
}
