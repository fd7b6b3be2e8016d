package io.breachwatch.topology;

import io.breachwatch.schema.AccessEvent;
import org.apache.avro.Schema;

import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * The checks a decoded event must pass before any rule sees it. Messages name the field and the bound, never the
 * field's value: the dead-letter headers must carry no personal information.
 */
public final class EventValidator {
    private static final List<Schema.Field> SCHEMA_FIELDS = AccessEvent.getClassSchema().getFields();
    private static final List<Schema.Field> REQUIRED = Stream.of("event_id", "tenant_id", "user_id")
            .map(AccessEvent.getClassSchema()::getField).toList();

    private final ValidationConfig config;

    public EventValidator(ValidationConfig config) {
        this.config = Objects.requireNonNull(config, "config");
    }

    /** Why an event was refused: a reason code and a message naming the field (never its value). */
    public record Rejection(DeadLetterReason reason, String message) {
        /** As {@code replay} reports a refused line: the message, then the reason code in parentheses. */
        public String describe() {
            return describe(message, reason.code());
        }

        /** {@link #describe()} of a rejection read back from a dead-letter record's headers (either may be null). */
        public static String describe(String message, String reasonCode) {
            return (message == null ? "refused" : message) + (reasonCode == null ? "" : " (" + reasonCode + ")");
        }
    }

    /** {@code ingestTime}: the wall clock when the record entered the topology; time bounds are relative to it. */
    public Optional<Rejection> check(AccessEvent event, Instant ingestTime) {
        for (var field : REQUIRED) {
            if (event.get(field.pos()) instanceof CharSequence s && s.toString().isBlank()) {
                return reject(DeadLetterReason.MISSING_FIELD, field.name() + " is empty");
            }
        }
        if (event.getRecordCount() < 0) {
            return reject(DeadLetterReason.NEGATIVE_COUNT, "record_count is negative");
        }
        if (event.getBytes() != null && event.getBytes() < 0) {
            return reject(DeadLetterReason.NEGATIVE_COUNT, "bytes is negative");
        }
        return checkTimestamp(event.getTimestamp(), ingestTime).or(() -> checkSizes(event));
    }

    private Optional<Rejection> checkTimestamp(Instant timestamp, Instant ingestTime) {
        if (timestamp.toEpochMilli() <= 0) {
            return reject(DeadLetterReason.INVALID_TIMESTAMP, "timestamp is at or before 1970-01-01");
        }
        var maxFuture = config.maxFuture();
        if (!maxFuture.isZero() && timestamp.isAfter(ingestTime.plus(maxFuture))) {
            return reject(DeadLetterReason.INVALID_TIMESTAMP, "timestamp is more than " + maxFuture
                    + " after ingest time (" + ValidationConfig.MAX_FUTURE.key() + ")");
        }
        var maxAge = config.maxAge();
        if (!maxAge.isZero() && timestamp.isBefore(ingestTime.minus(maxAge))) {
            return reject(DeadLetterReason.INVALID_TIMESTAMP, "timestamp is more than " + maxAge
                    + " before ingest time (" + ValidationConfig.MAX_AGE.key() + ")");
        }
        return Optional.empty();
    }

    /** Every string field of the schema, so a field added later is bounded too. */
    private Optional<Rejection> checkSizes(AccessEvent event) {
        int max = config.maxStringLength();
        for (var field : SCHEMA_FIELDS) {
            if (event.get(field.pos()) instanceof CharSequence s && s.length() > max) {
                return reject(DeadLetterReason.OVERSIZED, field.name() + " is longer than " + max + " characters ("
                        + ValidationConfig.MAX_STRING_LENGTH.key() + ")");
            }
        }
        var fields = event.getFields();
        if (fields.size() > config.maxFields()) {
            return reject(DeadLetterReason.OVERSIZED, "fields has more than " + config.maxFields() + " entries ("
                    + ValidationConfig.MAX_FIELDS.key() + ")");
        }
        for (var entry : fields) { // a loop, not a stream: this runs for every event
            if (entry.length() > max) {
                return reject(DeadLetterReason.OVERSIZED, "fields has an entry longer than " + max + " characters ("
                        + ValidationConfig.MAX_STRING_LENGTH.key() + ")");
            }
        }
        return Optional.empty();
    }

    private static Optional<Rejection> reject(DeadLetterReason reason, String message) {
        return Optional.of(new Rejection(reason, message));
    }
}
