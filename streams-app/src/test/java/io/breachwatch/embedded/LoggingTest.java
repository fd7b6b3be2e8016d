package io.breachwatch.embedded;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import org.apache.kafka.common.errors.OutOfOrderSequenceException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

import static org.assertj.core.api.Assertions.assertThat;

class LoggingTest {
    private final ListAppender<ILoggingEvent> captured = new ListAppender<>();
    private final Logger replicaManager = (Logger) LoggerFactory.getLogger(Logging.RetriableSequenceRace.LOGGER);
    private final Logger other = (Logger) LoggerFactory.getLogger("kafka.server.KafkaApis");

    @BeforeEach
    void capture() {
        Logging.quietKafka();
        captured.start();
        replicaManager.addAppender(captured);
        other.addAppender(captured);
    }

    @AfterEach
    void release() {
        replicaManager.detachAppender(captured);
        other.detachAppender(captured);
    }

    @Test
    void dropsOnlyTheBrokersRetriableTransactionsV2SequenceRace() {
        var race = new OutOfOrderSequenceException("Invalid sequence number for producer 1 at offset 7 in partition t-0: 3 "
                + "(incoming seq. number). " + Logging.RetriableSequenceRace.MESSAGE + ".");
        var realGap = new OutOfOrderSequenceException("Out of order sequence number for producer 1 at offset 7 in partition t-0: 5 "
                + "(incoming seq. number), 3 (current end sequence number)");

        replicaManager.error("Error processing append operation on partition t-0", race);
        replicaManager.error("Error processing append operation on partition t-0", realGap);
        other.error("Error processing append operation on partition t-0", race);
        replicaManager.error("unrelated failure", new IllegalStateException("boom"));

        assertThat(captured.list).extracting(e -> e.getLoggerName() + " " + e.getThrowableProxy().getMessage())
                .containsExactly(
                        "kafka.server.ReplicaManager " + realGap.getMessage(),
                        "kafka.server.KafkaApis " + race.getMessage(),
                        "kafka.server.ReplicaManager boom");
    }

    @Test
    void registersTheFilterOnce() {
        Logging.quietKafka();
        Logging.quietKafka();

        var context = replicaManager.getLoggerContext();
        assertThat(context.getTurboFilterList()).filteredOn(Logging.RetriableSequenceRace.class::isInstance).hasSize(1);
    }
}
