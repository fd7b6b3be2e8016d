package io.breachwatch.app;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.record.TimestampType;
import org.apache.kafka.common.utils.Time;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.processor.internals.StreamTask;

import java.lang.reflect.Field;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;

/**
 * A {@link TopologyTestDriver} fed a batch at a time: records are processed one by one exactly as the driver does
 * (same task, same order, stream-time punctuation checked after every record), but the task commits once per batch
 * instead of after every record. The driver's per-record commit (flushing every store, checkpointing, committing
 * offsets to its mock consumer) was a seventh of replay's main thread and changes nothing offline: replay's stores
 * have neither a record cache nor a changelog, so a commit has nothing to flush or write.
 *
 * <p>The driver has no public way to commit less often, so this reaches into it: its stream task (a package-private
 * field), its mock wall clock, and its private output capture and commit. Those are the internals of the pinned Kafka
 * Streams version; when they are not found the constructor fails naming what is missing, and the tests run replay
 * through this class, so an upgrade that moves them fails the build, not a user's replay.
 */
final class BatchedTestDriver implements AutoCloseable {
    private final TopologyTestDriver driver;
    private final StreamTask task;
    private final Time wallClock;
    private final Method captureOutputs;
    private final Method commit;
    private final TopicPartition input;
    private final ArrayList<ConsumerRecord<byte[], byte[]>> pending = new ArrayList<>();
    private long nextOffset;

    /** @param inputTopic the one source topic records are piped to (partition 0, as the driver's own input topics) */
    BatchedTestDriver(Topology topology, Properties properties, String inputTopic) {
        driver = new TopologyTestDriver(topology, properties);
        try {
            task = (StreamTask) field("task").get(driver);
            wallClock = (Time) field("mockWallClockTime").get(driver);
            captureOutputs = method("captureOutputsAndReEnqueueInternalResults");
            commit = method("commit", Map.class);
        } catch (ReflectiveOperationException | RuntimeException e) {
            driver.close();
            throw new IllegalStateException("this Kafka Streams version's TopologyTestDriver does not have the internals replay drives ("
                    + e + "); replay is built for the version in the parent pom", e);
        }
        if (task == null) {
            driver.close();
            throw new IllegalStateException("the topology has no stream task (no source topic)");
        }
        input = new TopicPartition(inputTopic, 0);
    }

    /** The driver itself: output topics, wall-clock time, stores. */
    TopologyTestDriver driver() {
        return driver;
    }

    /** Queues one record of the input topic; nothing is processed before {@link #processQueued()}. */
    void add(byte[] key, byte[] value, long timestamp) {
        pending.add(new ConsumerRecord<>(input.topic(), input.partition(), nextOffset++, timestamp, TimestampType.CREATE_TIME,
                key == null ? -1 : key.length, value == null ? -1 : value.length, key, value, new RecordHeaders(), Optional.empty()));
    }

    /**
     * Processes every queued record, each followed by the stream-time punctuations it makes due (as the driver does
     * per piped record), then commits once and moves what the topology produced to the driver's output topics.
     */
    void processQueued() {
        if (!pending.isEmpty()) {
            task.addRecords(input, pending);
            pending.clear();
        }
        task.resumePollingForPartitionsWithAvailableSpace();
        task.updateLags();
        var now = wallClock.milliseconds();
        while (task.hasRecordsQueued() && task.isProcessable(now)) {
            task.process(now);
            task.maybeFlushTerminalE2ELatency(now);
            task.maybePunctuateStreamTime();
        }
        invoke(commit, task.prepareCommit(true));
        task.postCommit(true);
        invoke(captureOutputs);
    }

    private void invoke(Method method, Object... args) {
        try {
            method.invoke(driver, args);
        } catch (IllegalAccessException e) {
            throw new IllegalStateException("TopologyTestDriver." + method.getName() + " is not accessible", e);
        } catch (InvocationTargetException e) {
            if (e.getCause() instanceof RuntimeException r) {
                throw r;
            }
            throw new IllegalStateException("TopologyTestDriver." + method.getName() + " failed", e.getCause());
        }
    }

    private static Field field(String name) throws NoSuchFieldException {
        var field = TopologyTestDriver.class.getDeclaredField(name);
        field.setAccessible(true);
        return field;
    }

    private static Method method(String name, Class<?>... parameters) throws NoSuchMethodException {
        var method = TopologyTestDriver.class.getDeclaredMethod(name, parameters);
        method.setAccessible(true);
        return method;
    }

    @Override
    public void close() {
        driver.close();
    }
}
