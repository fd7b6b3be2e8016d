package io.breachwatch.app;

import io.breachwatch.topology.DeadLetterReason;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.internals.RecordHeaders;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Copies dead-lettered records back to the input topic once their cause is fixed (a schema registered, a bound
 * raised): original key, value, timestamp and headers, minus the {@code dlq.*} headers, plus {@value #REPLAY_HEADER}
 * saying where the copy came from.
 *
 * <p>Reads read_committed from the group's committed offsets (the beginning when it has none, or when asked),
 * up to the end offsets seen at the start, so records dead-lettered meanwhile wait for the next run. Each batch is
 * copied in one producer transaction together with the group's offsets, so a run that dies half-way and is re-run
 * copies nothing twice. A dry run only counts.
 */
final class DlqReplay {
    /** Header on every copy: {@code <dlq topic>/<partition>/<offset>}. */
    static final String REPLAY_HEADER = "breachwatch.replayed-from";
    /** The headers the dead-letter step adds ({@code io.breachwatch.topology.DecodeProcessor}). */
    static final String DLQ_HEADER_PREFIX = "dlq.";
    static final String REASON_HEADER = DeadLetterReason.HEADER;
    static final String NO_REASON = "(none)";

    /** What a run did, per {@code dlq.reason}. */
    record Summary(Map<String, Long> copied, Map<String, Long> skipped) {
        long copiedTotal() {
            return copied.values().stream().mapToLong(Long::longValue).sum();
        }

        long skippedTotal() {
            return skipped.values().stream().mapToLong(Long::longValue).sum();
        }
    }

    private final Consumer<byte[], byte[]> consumer;
    private final Producer<byte[], byte[]> producer; // null for a dry run
    private final String from;
    private final String to;
    private final String reason; // null: every reason

    DlqReplay(Consumer<byte[], byte[]> consumer, Producer<byte[], byte[]> producer, String from, String to, String reason) {
        this.consumer = consumer;
        this.producer = producer;
        this.from = from;
        this.to = to;
        this.reason = reason;
    }

    Summary run(boolean fromBeginning, Duration pollTimeout) {
        var partitions = consumer.partitionsFor(from).stream().map(p -> new TopicPartition(from, p.partition())).toList();
        if (partitions.isEmpty()) {
            throw new IllegalArgumentException("topic " + from + " does not exist or has no partitions");
        }
        consumer.assign(partitions);
        position(partitions, fromBeginning);
        var end = consumer.endOffsets(partitions); // read_committed: the last stable offsets
        var copied = new TreeMap<String, Long>();
        var skipped = new TreeMap<String, Long>();
        if (producer != null) {
            producer.initTransactions();
        }
        while (!reachedEnd(partitions, end)) {
            var records = consumer.poll(pollTimeout);
            if (records.isEmpty()) {
                continue;
            }
            var next = new HashMap<TopicPartition, OffsetAndMetadata>();
            if (producer != null) {
                producer.beginTransaction();
            }
            try {
                for (var record : records) {
                    var tp = new TopicPartition(record.topic(), record.partition());
                    if (record.offset() >= end.get(tp)) {
                        continue; // arrived after the start: the next run's
                    }
                    next.put(tp, new OffsetAndMetadata(record.offset() + 1));
                    var why = reasonOf(record);
                    if (reason != null && !reason.equals(why)) {
                        skipped.merge(why, 1L, Long::sum);
                        continue;
                    }
                    copied.merge(why, 1L, Long::sum);
                    if (producer != null) {
                        producer.send(copy(record));
                    }
                }
                if (producer != null) {
                    producer.sendOffsetsToTransaction(next, consumer.groupMetadata());
                    producer.commitTransaction();
                }
            } catch (RuntimeException e) {
                if (producer != null) {
                    producer.abortTransaction();
                }
                throw e;
            }
            stopAtEnd(partitions, end);
        }
        return new Summary(copied, skipped);
    }

    /** The group's committed offsets, or the beginning. */
    private void position(List<TopicPartition> partitions, boolean fromBeginning) {
        var committed = fromBeginning ? Map.<TopicPartition, OffsetAndMetadata>of() : consumer.committed(new java.util.HashSet<>(partitions));
        var beginning = consumer.beginningOffsets(partitions);
        for (var tp : partitions) {
            var offset = committed.get(tp);
            consumer.seek(tp, offset == null ? beginning.get(tp) : Math.max(offset.offset(), beginning.get(tp)));
        }
    }

    private boolean reachedEnd(List<TopicPartition> partitions, Map<TopicPartition, Long> end) {
        return partitions.stream().allMatch(tp -> consumer.position(tp) >= end.get(tp));
    }

    /** Pauses partitions already past their end offset so that later records are not fetched in vain. */
    private void stopAtEnd(List<TopicPartition> partitions, Map<TopicPartition, Long> end) {
        consumer.pause(partitions.stream().filter(tp -> consumer.position(tp) >= end.get(tp)).toList());
    }

    private ProducerRecord<byte[], byte[]> copy(ConsumerRecord<byte[], byte[]> record) {
        var headers = new RecordHeaders();
        for (var header : record.headers()) {
            if (!header.key().startsWith(DLQ_HEADER_PREFIX) && !header.key().equals(REPLAY_HEADER)) {
                headers.add(header);
            }
        }
        headers.add(REPLAY_HEADER, (record.topic() + "/" + record.partition() + "/" + record.offset()).getBytes(StandardCharsets.UTF_8));
        return new ProducerRecord<>(to, null, record.timestamp(), record.key(), record.value(), headers);
    }

    static String reasonOf(ConsumerRecord<?, ?> record) {
        var header = record.headers().lastHeader(REASON_HEADER);
        return header == null || header.value() == null ? NO_REASON : new String(header.value(), StandardCharsets.UTF_8);
    }
}
