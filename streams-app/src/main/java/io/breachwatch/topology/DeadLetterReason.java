package io.breachwatch.topology;

/**
 * Why a record went to the dead-letter topic: a short code, the value of header {@code dlq.reason} and of the
 * metric tag {@code reason}. A closed set, so the metric stays bounded.
 */
public enum DeadLetterReason {
    /** The bytes are not a readable AccessEvent: not the wire format, unknown schema id, corrupt or incompatible Avro. */
    DESERIALIZATION("deserialization"),
    /** A record without a value (tombstone). */
    NULL_VALUE("null-value"),
    /** event_id, tenant_id or user_id is empty. */
    MISSING_FIELD("missing-field"),
    /** record_count is below zero. */
    NEGATIVE_COUNT("negative-count"),
    /** timestamp is before the epoch: no window can hold it. */
    INVALID_TIMESTAMP("invalid-timestamp");

    private final String code;

    DeadLetterReason(String code) {
        this.code = code;
    }

    public String code() {
        return code;
    }
}
