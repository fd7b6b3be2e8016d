package io.breachwatch.topology;

/**
 * Why a record went to the dead-letter topic: a short code, the value of header {@code dlq.reason} and of the
 * metric tag {@code reason}. A closed set, so the metric stays bounded.
 */
public enum DeadLetterReason {
    /** A record without a value (tombstone). */
    NULL_VALUE("null-value"),
    /** A value of zero bytes. */
    EMPTY_VALUE("empty-value"),
    /** Not the Confluent wire format: no magic byte 0 and 4-byte schema id (JSON text, another serializer, ...). */
    NOT_WIRE_FORMAT("not-wire-format"),
    /** The schema id is not in the registry. */
    UNKNOWN_SCHEMA("unknown-schema"),
    /**
     * The writer's schema cannot be resolved onto AccessEvent: another record type, a required field missing, an
     * enum of another name, or an enum symbol the reader neither knows nor can replace by its default.
     */
    INCOMPATIBLE_SCHEMA("incompatible-schema"),
    /** The Avro body is unreadable with its own schema: truncated, trailing bytes, corrupt lengths. */
    CORRUPT_AVRO("corrupt-avro"),
    /** event_id, tenant_id or user_id is empty. */
    MISSING_FIELD("missing-field"),
    /** record_count or bytes is below zero. */
    NEGATIVE_COUNT("negative-count"),
    /** timestamp at or before the epoch, or further from ingest time than validation.max-future / max-age allow. */
    INVALID_TIMESTAMP("invalid-timestamp"),
    /** A string longer than validation.max-string-length, or more entries in fields than validation.max-fields. */
    OVERSIZED("oversized");

    /** Header of a dead-lettered record: its reason's code. */
    public static final String HEADER = "dlq.reason";
    /** Header of a dead-lettered record: what was wrong, naming the field, never its value. */
    public static final String MESSAGE_HEADER = "dlq.error.message";

    private final String code;

    DeadLetterReason(String code) {
        this.code = code;
    }

    public String code() {
        return code;
    }
}
