package io.breachwatch.topology;

import io.breachwatch.metrics.DetectorMetrics;
import io.breachwatch.schema.AccessEvent;
import io.breachwatch.serde.RegistryException;
import io.breachwatch.serde.WireFormat;
import org.apache.avro.AvroTypeException;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.streams.processor.api.FixedKeyProcessor;
import org.apache.kafka.streams.processor.api.FixedKeyProcessorContext;
import org.apache.kafka.streams.processor.api.FixedKeyRecord;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Optional;

/**
 * Decodes and validates raw input (the events of a {@link ValidatedEvents} deserializer are validated already). A good
 * record continues with its event's timestamp as record time (event time drives every window). A bad one continues as
 * {@link Decoded.Rejected} with its original bytes and {@code dlq.*} headers, bound for the dead-letter topic: a
 * poison pill never stops the application.
 *
 * <p>Accounting: every record that leaves this step is counted once in {@code breachwatch.records.consumed} and
 * once more either in {@code breachwatch.events.consumed} (valid) or {@code breachwatch.events.dead.lettered}, so
 * records consumed = valid + dead-lettered at all times. Each valid record is then processed by every rule or counted
 * late by that rule ({@code breachwatch.events.late}, per rule, after repartitioning: there is no single ingest-level
 * "late").
 *
 * <p>One exception: when the schema registry itself is unreachable or failing (no response, HTTP 5xx), the record
 * is fine and the outage is transient, so the error is rethrown rather than dead-lettering good data.
 */
final class DecodeProcessor implements FixedKeyProcessor<byte[], byte[], Decoded> {
    static final String ERROR_CLASS = "dlq.error.class";
    static final String ERROR_MESSAGE = DeadLetterReason.MESSAGE_HEADER;
    static final String REASON = DeadLetterReason.HEADER;
    static final String SOURCE_TOPIC = "dlq.source.topic";
    static final String SOURCE_PARTITION = "dlq.source.partition";
    static final String SOURCE_OFFSET = "dlq.source.offset";
    static final String TIME = "dlq.time";
    private static final int MAX_MESSAGE_LENGTH = 1000;

    private final Deserializer<AccessEvent> deserializer;
    /** Null when the deserializer's events are validated already ({@link ValidatedEvents}). */
    private final EventValidator validator;
    private final DetectorMetrics metrics;
    private FixedKeyProcessorContext<byte[], Decoded> context;

    DecodeProcessor(Deserializer<AccessEvent> deserializer, EventValidator validator, DetectorMetrics metrics) {
        this.deserializer = deserializer;
        this.validator = validator;
        this.metrics = metrics;
    }

    @Override
    public void init(FixedKeyProcessorContext<byte[], Decoded> context) {
        this.context = context;
    }

    @Override
    public void process(FixedKeyRecord<byte[], byte[]> record) {
        AccessEvent event;
        try {
            event = record.value() == null ? null : deserializer.deserialize(topic(), record.value());
        } catch (RuntimeException e) {
            if (isRegistryOutage(e)) {
                throw e; // not counted: the record is processed again once the registry answers
            }
            metrics.recordConsumed();
            reject(record, classify(record.value(), e), e.getClass().getName(), e.getMessage());
            return;
        }
        metrics.recordConsumed();
        if (event == null) {
            reject(record, DeadLetterReason.NULL_VALUE, "NullValue", "the record has no value");
            return;
        }
        var ingestTime = context.currentSystemTimeMs();
        var rejection = validator == null ? Optional.<EventValidator.Rejection>empty()
                : validator.check(event, Instant.ofEpochMilli(ingestTime));
        if (rejection.isPresent()) {
            reject(record, rejection.get().reason(), "Validation", rejection.get().message());
            return;
        }
        metrics.consumed(event.getAction(), event.getOutcome());
        // the record's own headers (Kafka Streams hands each processor a copy), changed in place: every with* copies them
        var headers = record.headers();
        headers.remove(DetectorMetrics.INGEST_TIME_HEADER);
        headers.add(DetectorMetrics.INGEST_TIME_HEADER, ByteBuffer.allocate(Long.BYTES).putLong(ingestTime).array());
        var partition = context.recordMetadata().map(m -> m.partition()).orElse(-1);
        context.forward(record.withValue((Decoded) new Decoded.Valid(event, record.value(), partition))
                .withTimestamp(event.getTimestamp().toEpochMilli()));
    }

    /** Which part of decoding failed, from the bytes and the exception's causes. */
    static DeadLetterReason classify(byte[] value, Throwable error) {
        if (value.length == 0) {
            return DeadLetterReason.EMPTY_VALUE;
        }
        if (value.length < WireFormat.HEADER_SIZE || value[0] != WireFormat.MAGIC_BYTE) {
            return DeadLetterReason.NOT_WIRE_FORMAT;
        }
        for (var t = error; t != null; t = t.getCause()) {
            if (t instanceof RegistryException) {
                return DeadLetterReason.UNKNOWN_SCHEMA;
            }
            if (t instanceof AvroTypeException) {
                return DeadLetterReason.INCOMPATIBLE_SCHEMA;
            }
        }
        return DeadLetterReason.CORRUPT_AVRO;
    }

    private void reject(FixedKeyRecord<byte[], byte[]> record, DeadLetterReason reason, String errorClass, String message) {
        metrics.deadLettered(reason.code());
        var headers = new RecordHeaders(record.headers().toArray());
        put(headers, ERROR_CLASS, errorClass);
        put(headers, ERROR_MESSAGE, truncate(message == null ? "" : message));
        put(headers, REASON, reason.code());
        var metadata = context.recordMetadata();
        put(headers, SOURCE_TOPIC, metadata.map(m -> m.topic()).orElse(""));
        put(headers, SOURCE_PARTITION, metadata.map(m -> Integer.toString(m.partition())).orElse(""));
        put(headers, SOURCE_OFFSET, metadata.map(m -> Long.toString(m.offset())).orElse(""));
        put(headers, TIME, Instant.ofEpochMilli(context.currentSystemTimeMs()).toString());
        context.forward(record.withValue((Decoded) new Decoded.Rejected(record.value())).withHeaders(headers));
    }

    private String topic() {
        return context.recordMetadata().map(m -> m.topic()).orElse(null);
    }

    private static boolean isRegistryOutage(Throwable e) {
        for (var t = e; t != null; t = t.getCause()) {
            if (t instanceof RegistryException re) {
                return re.httpStatus() == 0 || re.httpStatus() >= 500;
            }
        }
        return false;
    }

    private static void put(Headers headers, String key, String value) {
        headers.remove(key);
        headers.add(key, value.getBytes(StandardCharsets.UTF_8));
    }

    private static String truncate(String s) {
        return s.length() <= MAX_MESSAGE_LENGTH ? s : s.substring(0, MAX_MESSAGE_LENGTH) + "...";
    }
}
