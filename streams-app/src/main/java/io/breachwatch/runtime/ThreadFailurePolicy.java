package io.breachwatch.runtime;

import org.apache.kafka.common.errors.RetriableException;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.function.LongSupplier;

/**
 * What to do when a stream thread dies. Decided so that the app never dies silently and never spins:
 * <ul>
 *   <li>a transient Kafka error (a {@link RetriableException} anywhere in the cause chain: timeouts, a broker
 *   that went away, leader changes) replaces the thread: the new one resumes from the last commit, which under
 *   exactly_once_v2 loses and duplicates nothing. At most {@link #MAX_REPLACEMENTS} in {@link #REPLACEMENT_WINDOW}:
 *   a "transient" error that keeps coming back is treated as fatal;</li>
 *   <li>anything else (a bug, a corrupt state store, an {@link Error}) shuts this client down with an ERROR log:
 *   replacing the thread would re-read the same record and fail again forever. The process then exits with
 *   code 1 so that its supervisor restarts it and the failure is visible.</li>
 * </ul>
 * Bad input never reaches this handler: the topology decodes bytes itself and dead-letters what it cannot read.
 */
public final class ThreadFailurePolicy implements StreamsUncaughtExceptionHandler {
    static final int MAX_REPLACEMENTS = 5;
    static final Duration REPLACEMENT_WINDOW = Duration.ofMinutes(10);
    private static final Logger log = LoggerFactory.getLogger(ThreadFailurePolicy.class);

    private final LongSupplier nanoClock;
    private final Deque<Long> replacements = new ArrayDeque<>();
    private volatile Throwable fatal;

    public ThreadFailurePolicy() {
        this(System::nanoTime);
    }

    ThreadFailurePolicy(LongSupplier nanoClock) {
        this.nanoClock = nanoClock;
    }

    @Override
    public StreamThreadExceptionResponse handle(Throwable exception) {
        if (isTransient(exception) && withinReplacementBudget()) {
            log.warn("Stream thread failed on a transient error, replacing it: {}", describe(exception));
            return StreamThreadExceptionResponse.REPLACE_THREAD;
        }
        fatal = exception;
        log.error("Stream thread failed on a fatal error; shutting down this instance (exit code 1)", exception);
        return StreamThreadExceptionResponse.SHUTDOWN_CLIENT;
    }

    /** The error that shut the client down, or null. */
    public Throwable fatalError() {
        return fatal;
    }

    static boolean isTransient(Throwable exception) {
        for (var t = exception; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof Error) {
                return false;
            }
            if (t instanceof RetriableException) {
                return true;
            }
        }
        return false;
    }

    private synchronized boolean withinReplacementBudget() {
        var now = nanoClock.getAsLong();
        while (!replacements.isEmpty() && now - replacements.peekFirst() > REPLACEMENT_WINDOW.toNanos()) {
            replacements.removeFirst();
        }
        if (replacements.size() >= MAX_REPLACEMENTS) {
            return false;
        }
        replacements.addLast(now);
        return true;
    }

    static String describe(Throwable exception) {
        var root = exception;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return exception.getClass().getSimpleName() + ": " + exception.getMessage()
                + (root == exception ? "" : " (cause " + root.getClass().getSimpleName() + ": " + root.getMessage() + ")");
    }
}
