package io.breachwatch.topology;

import io.breachwatch.schema.AccessEvent;

import java.util.Optional;

/** The checks a decoded event must pass before any rule sees it. Each check is one line; add more here. */
public final class EventValidator {

    /** Why an event was refused: a reason code and a message naming the field (never its value). */
    public record Rejection(DeadLetterReason reason, String message) {
    }

    public Optional<Rejection> check(AccessEvent event) {
        if (isEmpty(event.getEventId())) {
            return reject(DeadLetterReason.MISSING_FIELD, "event_id is empty");
        }
        if (isEmpty(event.getTenantId())) {
            return reject(DeadLetterReason.MISSING_FIELD, "tenant_id is empty");
        }
        if (isEmpty(event.getUserId())) {
            return reject(DeadLetterReason.MISSING_FIELD, "user_id is empty");
        }
        if (event.getRecordCount() < 0) {
            return reject(DeadLetterReason.NEGATIVE_COUNT, "record_count is negative: " + event.getRecordCount());
        }
        if (event.getTimestamp().toEpochMilli() < 0) {
            return reject(DeadLetterReason.INVALID_TIMESTAMP, "timestamp is before 1970-01-01");
        }
        return Optional.empty();
    }

    private static boolean isEmpty(String s) {
        return s == null || s.isBlank();
    }

    private static Optional<Rejection> reject(DeadLetterReason reason, String message) {
        return Optional.of(new Rejection(reason, message));
    }
}
