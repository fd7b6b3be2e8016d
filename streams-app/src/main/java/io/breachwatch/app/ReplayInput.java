package io.breachwatch.app;

import io.breachwatch.embedded.AvroClients;
import io.breachwatch.schema.AccessEvent;
import io.breachwatch.serde.JsonEvents;
import io.breachwatch.topology.EventValidator;

import java.io.BufferedReader;
import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;

/**
 * Replay's input, read ahead on a thread of its own: each line parsed from JSON and its event validated while the
 * topology works on earlier ones, so the two use both cores. Lines come back in batches, in file order, each an event
 * or the reason it was rejected: malformed, or refused by the {@link EventValidator} (whose bounds on the timestamp
 * are relative to the wall clock when the line is read), so the topology's decode step does not check it again
 * ({@link io.breachwatch.topology.ValidatedEvents}).
 */
final class ReplayInput implements AutoCloseable {
    /** A batch small enough for progress, large enough that the hand-over costs nothing per line. */
    private static final int BATCH = 1_024;
    /** Batches read ahead: bounds the memory the reader may get ahead by (a few MB). */
    private static final int AHEAD = 16;

    /** One non-blank line: the event and its record key, or why the line was rejected. */
    record Line(long number, long bytesSoFar, String key, AccessEvent event, String rejection) {
        boolean rejected() {
            return rejection != null;
        }
    }

    private record Batch(List<Line> lines, Throwable failure) {
        static final Batch END = new Batch(List.of(), null);
    }

    private final BlockingQueue<Batch> batches = new ArrayBlockingQueue<>(AHEAD);
    private final EventValidator validator;
    private final Thread thread;
    private volatile boolean closed;
    private boolean ended;

    /** Starts reading {@code reader}; it is closed when the input ends or on {@link #close()}. */
    ReplayInput(BufferedReader reader, EventValidator validator) {
        this.validator = validator;
        thread = new Thread(() -> read(reader), "replay-reader");
        thread.setDaemon(true);
        thread.start();
    }

    /** The next lines in file order; an empty list once the input has ended. */
    List<Line> next() throws IOException, InterruptedException {
        if (ended) {
            return List.of();
        }
        var batch = batches.take();
        if (batch.failure() != null) {
            ended = true;
            if (batch.failure() instanceof IOException e) {
                throw e;
            }
            throw new IllegalStateException("reading the input failed: " + batch.failure().getMessage(), batch.failure());
        }
        if (batch == Batch.END) {
            ended = true;
        }
        return batch.lines();
    }

    private void read(BufferedReader reader) {
        Batch last = Batch.END;
        try (reader) {
            var lines = new ArrayList<Line>(BATCH);
            long number = 0;
            long bytes = 0;
            for (var text = reader.readLine(); text != null && !closed; text = reader.readLine()) {
                number++;
                bytes += text.length() + 1;
                if (text.isBlank()) {
                    continue;
                }
                lines.add(parse(number, bytes, text));
                if (lines.size() == BATCH) {
                    batches.put(new Batch(lines, null));
                    lines = new ArrayList<>(BATCH);
                }
            }
            if (!lines.isEmpty()) {
                batches.put(new Batch(lines, null));
            }
        } catch (IOException e) {
            last = new Batch(List.of(), e);
        } catch (InterruptedException e) {
            return; // closed: nobody waits for the rest
        } catch (RuntimeException | Error e) {
            last = new Batch(List.of(), e);
        }
        try {
            batches.put(last);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private Line parse(long number, long bytes, String text) {
        try {
            var event = JsonEvents.parseEvent(text);
            var refused = validator.check(event, Instant.now());
            if (refused.isPresent()) {
                return new Line(number, bytes, null, null, refused.get().describe());
            }
            return new Line(number, bytes, AvroClients.key(event), event, null);
        } catch (JsonEvents.LineException e) {
            return new Line(number, bytes, null, null, e.getMessage());
        }
    }

    /** Stops the reader (it may be blocked on stdin: it is a daemon thread, nothing waits for it). */
    @Override
    public void close() {
        closed = true;
        thread.interrupt();
        batches.clear();
    }
}
