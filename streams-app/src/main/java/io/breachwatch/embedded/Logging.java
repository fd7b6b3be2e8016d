package io.breachwatch.embedded;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.turbo.TurboFilter;
import ch.qos.logback.core.spi.FilterReply;
import org.apache.kafka.common.errors.OutOfOrderSequenceException;
import org.slf4j.LoggerFactory;
import org.slf4j.Marker;

/** Keeps the in-process broker and Kafka clients quiet (WARN) so the demo's own output stays readable. */
public final class Logging {
    private static final String[] NOISY = {"kafka", "org.apache.kafka", "org.apache.zookeeper", "state.change.logger", "io.breachwatch.runtime"};

    private Logging() {
    }

    public static void quietKafka() {
        setLevel(Level.WARN, NOISY);
        dropRetriableSequenceRace();
    }

    /** Installs {@link RetriableSequenceRace} once; every in-process broker does on start (demo, tests, bench). */
    public static void dropRetriableSequenceRace() {
        if (LoggerFactory.getILoggerFactory() instanceof LoggerContext context && !dropsRetriableSequenceRace()) {
            context.addTurboFilter(new RetriableSequenceRace());
        }
    }

    static boolean dropsRetriableSequenceRace() {
        return LoggerFactory.getILoggerFactory() instanceof LoggerContext context
                && context.getTurboFilterList().stream().anyMatch(RetriableSequenceRace.class::isInstance);
    }

    /** For the interactive demo: only errors, so warnings about a shutting-down broker do not reach the screen. */
    public static void onlyErrors() {
        setLevel(Level.ERROR, NOISY);
    }

    /** While shutting down: nothing, so Ctrl-C never prints a stack trace from a closing client. */
    public static void silence() {
        setLevel(Level.OFF, NOISY);
    }

    private static void setLevel(Level level, String... names) {
        if (!(LoggerFactory.getILoggerFactory() instanceof ch.qos.logback.classic.LoggerContext)) {
            return;
        }
        for (var name : names) {
            ((Logger) LoggerFactory.getLogger(name)).setLevel(level);
        }
    }

    /**
     * Drops the in-process broker's ERROR for a retriable race of transactions v2 (KIP-890): when a transaction
     * first writes to a partition, the broker verifies the partition with the transaction coordinator before it
     * appends; a later batch of the same transaction that overtakes the first one is refused with
     * {@link OutOfOrderSequenceException} ("Expected sequence 0 for transactions v2 idempotent producer with no
     * existing state", KAFKA-18202) and the producer retries it. Nothing is lost or duplicated, yet
     * {@code kafka.server.ReplicaManager} logs every refusal as an ERROR with a stack trace. Only that exact
     * message is dropped, and only from the embedded broker's logger; every other error still shows.
     */
    static final class RetriableSequenceRace extends TurboFilter {
        static final String LOGGER = "kafka.server.ReplicaManager";
        static final String MESSAGE = "Expected sequence 0 for transactions v2 idempotent producer with no existing state";

        @Override
        public FilterReply decide(Marker marker, Logger logger, Level level, String format, Object[] params, Throwable t) {
            return t instanceof OutOfOrderSequenceException && LOGGER.equals(logger.getName())
                    && t.getMessage() != null && t.getMessage().contains(MESSAGE) ? FilterReply.DENY : FilterReply.NEUTRAL;
        }
    }
}
