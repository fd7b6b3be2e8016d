package io.breachwatch.app;

import io.breachwatch.schema.AccessEvent;
import io.breachwatch.schema.Action;
import org.junit.jupiter.api.Test;

import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class HandedOverEventsTest {
    private static AccessEvent event(String id) {
        return AccessEvent.newBuilder().setEventId(id).setTimestamp(Instant.ofEpochMilli(1_000)).setTenantId("t")
                .setUserId("u").setAction(Action.VIEW).setRecordCount(1).build();
    }

    @Test
    void eachRecordTakesTheEventQueuedWithItAndNamesItsLine() {
        var handedOver = new HandedOverEvents();
        var first = handedOver.add(3, event("a"));
        var second = handedOver.add(7, event("b"));

        assertThat(handedOver.deserialize("in", first).getEventId()).isEqualTo("a");
        assertThat(handedOver.deserialize("in", second).getEventId()).isEqualTo("b");
        handedOver.checkDrained();
        assertThat(HandedOverEvents.lineOf(second)).isEqualTo(7);
        assertThat(HandedOverEvents.lineOf(new byte[] {1, 2})).isEqualTo(-1);
    }

    @Test
    void aRecordOutOfStepFailsTheReplayInsteadOfPairingAnotherEvent() {
        var handedOver = new HandedOverEvents();
        handedOver.add(1, event("a"));
        var second = handedOver.add(2, event("b"));

        assertThat(handedOver.deserialize("in", second)).isNull();
        assertThatThrownBy(handedOver::checkDrained).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("out of step").hasMessageContaining("the event of line 1 met another record");
    }

    @Test
    void eventsLeftBehindByABatchFailTheReplay() {
        var handedOver = new HandedOverEvents();
        handedOver.add(1, event("a"));

        assertThatThrownBy(handedOver::checkDrained).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("1 events were queued but never processed");
    }
}
