package io.breachwatch.detect;

import io.breachwatch.config.Settings;
import io.breachwatch.metrics.DetectorMetrics;
import io.breachwatch.schema.AccessEvent;
import io.breachwatch.schema.Action;
import io.breachwatch.topology.TopologyHarness;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.processor.api.MockProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * export-baseline's deferred judgments that will likely fire travel marked ({@link Urgency}) and each step asks for a
 * commit, so the two repartition hops do not each wait for the commit interval; the others do not ask.
 */
class UrgencyTest {
    private static final ExportBaselineRule RULE = ExportBaselineRule.create(Settings.of(Map.of("detect.export-baseline.learning-period", "0s")));
    private static final long T = TopologyHarness.T0.toEpochMilli();

    @Test
    void aDeferredDayThatWillLikelyFireOnTheAnswerTravelsMarkedAndAsksForACommit() {
        var context = new MockProcessorContext<String, ExportBaselineSignal>();
        var users = MockContexts.addStore(context, ExportBaselineRule.USERS_STORE, ExportBaselineState.SERDE);
        MockContexts.addStore(context, ExportBaselineRule.LEARNING_STORE, Serdes.Long());
        var processor = new ExportBaselineUserProcessor(RULE, new DetectorMetrics(new SimpleMeterRegistry()));
        processor.init(context);

        assertUpdate(context, processor, export(1_000, 0), false, "a new user asks the group; 1,000 is below the floor of 2,000");
        assertUpdate(context, processor, export(1_500, 1), true, "2,500: at the floor before the first answer");

        var user = users.get("acme/svc-sync");
        user.peers(ExportBaselinePeerStats.NONE); // the group's answer: no peers
        users.put("acme/svc-sync", user);
        assertUpdate(context, processor, export(10_000, 2), false, "12,500 does not fire on the new-user floor of 20,000");
        var marked = assertUpdate(context, processor, export(10_000, 3), true, "22,500 does");
        assertThat(marked.headers().lastHeader(DetectorMetrics.INGEST_TIME_HEADER).value()).as("the export's own headers go along")
                .isEqualTo(ingestTime(3));
    }

    /** Processes {@code export}, which must defer its day to a subscribed update, marked and committed or neither. */
    private static Record<? extends String, ? extends ExportBaselineSignal> assertUpdate(MockProcessorContext<String, ExportBaselineSignal> context,
                                                                     ExportBaselineUserProcessor processor, Record<String, AccessEvent> export,
                                                                     boolean urgent, String why) {
        context.resetForwards();
        context.resetCommit();
        context.setCurrentStreamTimeMs(export.timestamp());
        processor.process(export);
        assertThat(context.forwarded()).as(why).singleElement().satisfies(forward -> {
            assertThat(forward.record().value()).isInstanceOfSatisfying(ExportBaselineSignal.ToPeers.class,
                    toPeers -> assertThat(toPeers.update().subscribed()).isTrue());
            assertThat(Urgency.isMarked(forward.record().headers())).as(why).isEqualTo(urgent);
        });
        assertThat(context.committed()).as(why).isEqualTo(urgent);
        return context.forwarded().get(0).record();
    }

    @Test
    void thePeerGroupAnswersAMarkedUpdateMarkedAndAsksForACommit() {
        var context = new MockProcessorContext<String, ExportBaselinePeerStats>();
        MockContexts.addStore(context, ExportBaselineRule.PEERS_STORE, ExportBaselinePeerUpdate.SERDE);
        var group = new ExportBaselinePeerProcessor(RULE.config());
        group.init(context);
        context.setCurrentStreamTimeMs(T);
        var day = RULE.config().day(T);

        group.process(new Record<>("acme/sales", new ExportBaselinePeerUpdate("acme/u-1", 0, 0, day, true), T, headers(0)));
        assertThat(context.forwarded()).singleElement().satisfies(answer -> {
            assertThat(answer.record().key()).isEqualTo("acme/u-1");
            assertThat(Urgency.isMarked(answer.record().headers())).isFalse();
        });
        assertThat(context.committed()).isFalse();

        context.resetForwards();
        group.process(new Record<>("acme/sales", new ExportBaselinePeerUpdate("acme/u-2", 0, 0, day, true), T, Urgency.marked(headers(1))));
        assertThat(context.forwarded()).singleElement().satisfies(answer -> {
            assertThat(answer.record().key()).isEqualTo("acme/u-2");
            assertThat(Urgency.isMarked(answer.record().headers())).isTrue();
            assertThat(answer.record().headers().lastHeader(DetectorMetrics.INGEST_TIME_HEADER).value()).isEqualTo(ingestTime(1));
        });
        assertThat(context.committed()).isTrue();
    }

    @Test
    void markingReplacesAnEarlierMarkAndLeavesTheOriginalHeadersAlone() {
        var original = headers(0);
        var marked = Urgency.marked(Urgency.marked(original));

        assertThat(marked.headers(Urgency.HEADER)).hasSize(1);
        assertThat(Urgency.isMarked(original)).isFalse();
        assertThat(marked.lastHeader(DetectorMetrics.INGEST_TIME_HEADER).value()).isEqualTo(ingestTime(0));
    }

    /** An export by a new integration account, {@code n} minutes after T0, with the ingest header of its index. */
    private static Record<String, AccessEvent> export(long records, int n) {
        var ts = T + n * 60_000L;
        var event = TopologyHarness.event("svc-sync", java.time.Instant.ofEpochMilli(ts)).setUserRole("integration")
                .setAction(Action.BULK_API).setRecordCount(records).setDestination("api:warehouse").build();
        return new Record<>("acme/svc-sync", event, ts, headers(n));
    }

    private static Headers headers(int n) {
        return new RecordHeaders().add(DetectorMetrics.INGEST_TIME_HEADER, ingestTime(n));
    }

    private static byte[] ingestTime(int n) {
        return ByteBuffer.allocate(Long.BYTES).putLong(1_000L + n).array();
    }
}
