package io.breachwatch.app;

import io.breachwatch.schema.AccessEvent;
import io.breachwatch.topology.ValidatedEvents;

import java.nio.ByteBuffer;
import java.util.ArrayDeque;

/**
 * Replay's events handed to the topology's decode step as the objects the reader parsed: the value of each record
 * piped is only the number of the event's input line, and the decode step's deserializer takes the event queued
 * with it. Encoding every event as Avro to decode it again at once was 8 % of replay's main thread (decoding) and
 * 28 % of its reader thread (encoding), for nothing. The events are validated already, by the reader
 * ({@link ValidatedEvents}). A record the decode step refuses anyway (it gets no event when the two got out of step,
 * below) goes to the dead-letter topic with that value, so replay can name the line ({@link #lineOf}).
 *
 * <p>The one task processes records in the order they were queued, so events come out in the order they went in; a
 * record that does not carry the line of the next event, or a batch that leaves events behind, means the two got out
 * of step, and {@link #checkDrained()} fails the replay rather than let an event be paired with another's record.
 */
final class HandedOverEvents implements ValidatedEvents {
    private record Queued(long line, AccessEvent event) {
    }

    private final ArrayDeque<Queued> queued = new ArrayDeque<>();
    private String failure;

    /** Queues the event of input line {@code line}; returns the value of its record. */
    byte[] add(long line, AccessEvent event) {
        queued.add(new Queued(line, event));
        return ByteBuffer.allocate(Long.BYTES).putLong(line).array();
    }

    @Override
    public AccessEvent deserialize(String topic, byte[] data) {
        var next = queued.poll();
        if (next == null || data == null || data.length != Long.BYTES || ByteBuffer.wrap(data).getLong() != next.line()) {
            if (failure == null) {
                failure = next == null ? "a record came with no event queued" : "the event of line " + next.line() + " met another record";
            }
            return null;
        }
        return next.event();
    }

    /** After a batch: every event queued was taken by its own record. */
    void checkDrained() {
        if (failure == null && !queued.isEmpty()) {
            failure = queued.size() + " events were queued but never processed";
        }
        if (failure != null) {
            throw new IllegalStateException("replay's events and the topology's input got out of step: " + failure);
        }
    }

    /** The input line of a record this class made the value of, or -1 for any other value. */
    static long lineOf(byte[] value) {
        return value != null && value.length == Long.BYTES ? ByteBuffer.wrap(value).getLong() : -1;
    }
}
