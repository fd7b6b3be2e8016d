package io.breachwatch.detect;

import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;

/**
 * A record that may complete an incident, marked so on its way through internal topics: each processor that
 * passes it on asks Kafka Streams for a commit ({@code ProcessorContext#commit}) after the records in hand, instead
 * of leaving it to the next {@code commit.interval.ms}. Under exactly-once a record written to a repartition topic is
 * read by the next step only once its transaction commits, so an unmarked record waits up to a commit interval at
 * every hop. Marked: export-baseline's updates to the peer group for a day that will likely fire on the answer (it
 * fires on the statistics the user holds, or has reached the rule's floor before the user's first answer), and the
 * group's answers to them: two hops ({@link ExportBaselineRule}). The incident stage asks for a commit itself when it
 * emits a new incident or a new severity. All of these are rare next to the events, so the extra commits cost little
 * (asking at every deferred day at the floor made 181 commits a second in a latency run: BENCHMARKS.md). A runner
 * without commits of its own ({@code replay}) ignores the requests.
 */
public final class Urgency {
    /** Header name; its value is empty. */
    public static final String HEADER = "breachwatch.urgent";
    private static final byte[] EMPTY = new byte[0];

    private Urgency() {
    }

    /** A copy of {@code headers} with the mark. */
    static Headers marked(Headers headers) {
        var copy = new RecordHeaders(headers.toArray());
        copy.remove(HEADER);
        copy.add(HEADER, EMPTY);
        return copy;
    }

    static boolean isMarked(Headers headers) {
        return headers.lastHeader(HEADER) != null;
    }
}
