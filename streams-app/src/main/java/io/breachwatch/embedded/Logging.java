package io.breachwatch.embedded;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import org.slf4j.LoggerFactory;

/** Keeps the in-process broker and Kafka clients quiet (WARN) so the demo's own output stays readable. */
public final class Logging {
    private static final String[] NOISY = {"kafka", "org.apache.kafka", "org.apache.zookeeper", "state.change.logger", "io.breachwatch.runtime"};

    private Logging() {
    }

    public static void quietKafka() {
        setLevel(Level.WARN, NOISY);
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
}
