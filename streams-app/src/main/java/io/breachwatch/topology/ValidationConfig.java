package io.breachwatch.topology;

import io.breachwatch.config.Field;
import io.breachwatch.config.Settings;

import java.time.Duration;
import java.util.List;

/**
 * Bounds a decoded event must keep to, checked by {@link EventValidator}. Time bounds are relative to the wall
 * clock when the record is ingested; zero switches a time bound off (offline replay of old files).
 */
public record ValidationConfig(Duration maxFuture, Duration maxAge, int maxStringLength, int maxFields) {
    public static final Field<Duration> MAX_FUTURE = Field.durationOrZero("validation.max-future", "1h",
            "Dead-letter events whose timestamp is further ahead of the wall clock at ingest (0 = no bound)");
    public static final Field<Duration> MAX_AGE = Field.durationOrZero("validation.max-age", "400d",
            "Dead-letter events whose timestamp is further behind the wall clock at ingest (0 = no bound)");
    public static final Field<Integer> MAX_STRING_LENGTH = Field.intRange("validation.max-string-length", 4096, 1, 1_000_000,
            "Dead-letter events with a string field (or an entry of fields) longer than this many characters");
    public static final Field<Integer> MAX_FIELDS = Field.intRange("validation.max-fields", 512, 0, 1_000_000,
            "Dead-letter events whose fields array has more entries than this");

    public static List<Field<?>> fields() {
        return List.of(MAX_FUTURE, MAX_AGE, MAX_STRING_LENGTH, MAX_FIELDS);
    }

    public static ValidationConfig from(Settings settings) {
        return new ValidationConfig(settings.get(MAX_FUTURE), settings.get(MAX_AGE),
                settings.get(MAX_STRING_LENGTH), settings.get(MAX_FIELDS));
    }
}
