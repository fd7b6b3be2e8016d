package io.breachwatch.config;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * One configuration key: name, default, how to parse and validate it, and what it means.
 * In the spirit of Debezium's {@code Field}: the single source for validation, {@code --help} and the README.
 *
 * @param key          property name, e.g. {@code detect.bulk-export.threshold}
 * @param defaultValue the default as text (what a user would write), or null when the key is optional
 * @param description  one line for the README and --help
 * @param allowed      what values are allowed, in words (used in error messages)
 */
public record Field<T>(String key, String defaultValue, String description, String allowed,
                       Function<String, T> parser, Predicate<T> validator) {

    public Field {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(description, "description");
        Objects.requireNonNull(allowed, "allowed");
        Objects.requireNonNull(parser, "parser");
        Objects.requireNonNull(validator, "validator");
    }

    /** Parses and validates {@code raw}; throws {@link ConfigException} naming this key on a bad value. */
    public T parse(String raw) {
        if (raw == null) {
            if (defaultValue == null) {
                return null;
            }
            raw = defaultValue;
        }
        T value;
        try {
            value = parser.apply(raw.trim());
        } catch (RuntimeException e) {
            throw new ConfigException(key, "invalid value '" + raw + "'; allowed: " + allowed);
        }
        if (value != null && !validator.test(value)) {
            throw new ConfigException(key, "invalid value '" + raw + "'; allowed: " + allowed);
        }
        return value;
    }

    /** The environment variable that overrides this key: {@code detect.bulk-export.window} -> {@code BREACHWATCH_DETECT_BULK_EXPORT_WINDOW}. */
    public String envName() {
        return envName(key);
    }

    public static String envName(String key) {
        return "BREACHWATCH_" + key.toUpperCase(Locale.ROOT).replace('.', '_').replace('-', '_');
    }

    // ---- factories for the types the project uses ----

    public static Field<String> string(String key, String defaultValue, String description) {
        return new Field<>(key, defaultValue, description, "a non-empty string", s -> s, s -> !s.isEmpty());
    }

    public static Field<String> optionalString(String key, String description) {
        return new Field<>(key, null, description, "any string (optional)", s -> s, s -> true);
    }

    public static Field<Boolean> bool(String key, boolean defaultValue, String description) {
        return new Field<>(key, Boolean.toString(defaultValue), description, "true or false",
                Field::parseBoolean, b -> true);
    }

    public static Field<Integer> intRange(String key, int defaultValue, int min, int max, String description) {
        return new Field<>(key, Integer.toString(defaultValue), description,
                "an integer from " + min + " to " + max, Integer::valueOf, v -> v >= min && v <= max);
    }

    public static Field<Long> positiveLong(String key, long defaultValue, String description) {
        return new Field<>(key, Long.toString(defaultValue), description, "an integer >= 1",
                Long::valueOf, v -> v >= 1);
    }

    public static Field<Double> positiveDouble(String key, double defaultValue, String description) {
        return new Field<>(key, Double.toString(defaultValue), description, "a number > 0",
                Double::valueOf, v -> v > 0 && !v.isInfinite());
    }

    /** Durations as ISO-8601 ({@code PT1H}) or shorthand {@code 500ms}, {@code 30s}, {@code 10m}, {@code 2h}, {@code 7d}. */
    public static Field<Duration> duration(String key, String defaultValue, String description) {
        return new Field<>(key, defaultValue, description, "a duration > 0 such as 500ms, 30s, 10m, 2h, 7d or PT1H",
                Field::parseDuration, d -> !d.isNegative() && !d.isZero());
    }

    /** Like {@link #duration} but zero is allowed (e.g. a grace period). */
    public static Field<Duration> durationOrZero(String key, String defaultValue, String description) {
        return new Field<>(key, defaultValue, description, "a duration >= 0 such as 0s, 30s, 10m, 2h or PT1H",
                Field::parseDuration, d -> !d.isNegative());
    }

    public static <E extends Enum<E>> Field<E> enumOf(String key, Class<E> type, E defaultValue, String description) {
        var symbols = Arrays.stream(type.getEnumConstants()).map(Enum::name).collect(Collectors.joining(", "));
        return new Field<>(key, defaultValue.name(), description, "one of " + symbols,
                s -> Enum.valueOf(type, s.toUpperCase(Locale.ROOT)), e -> true);
    }

    /** One of a fixed set of words, compared case-insensitively and returned as written in {@code allowed}. */
    public static Field<String> oneOf(String key, String defaultValue, String description, String... allowed) {
        var words = List.of(allowed);
        return new Field<>(key, defaultValue, description, "one of " + String.join(", ", words),
                s -> words.stream().filter(w -> w.equalsIgnoreCase(s)).findFirst()
                        .orElseThrow(() -> new IllegalArgumentException(s)),
                s -> true);
    }

    /** A size in bytes: {@code 64MiB}, {@code 512KiB}, {@code 1GiB}, {@code 16m} or plain bytes; units are binary (1 KiB = 1024 B). */
    public static Field<Long> byteSize(String key, String defaultValue, String description) {
        return new Field<>(key, defaultValue, description, "a size >= 1 such as 512KiB, 64MiB, 1GiB or a number of bytes",
                Field::parseByteSize, v -> v >= 1);
    }

    /** A comma-separated list; empty text means the empty set. */
    public static Field<Set<String>> list(String key, String defaultValue, String description) {
        return new Field<>(key, defaultValue, description, "a comma-separated list",
                Field::parseList, s -> true);
    }

    public static Field<Set<String>> list(String key, String defaultValue, String description,
                                          String allowed, Predicate<String> element) {
        return new Field<>(key, defaultValue, description, allowed,
                Field::parseList, s -> s.stream().allMatch(element));
    }

    static Set<String> parseList(String s) {
        var out = new LinkedHashSet<String>();
        for (var part : s.split(",")) {
            if (!part.isBlank()) {
                out.add(part.trim());
            }
        }
        return java.util.Collections.unmodifiableSet(out);
    }

    static boolean parseBoolean(String s) {
        return switch (s.toLowerCase(Locale.ROOT)) {
            case "true", "yes", "on", "1" -> true;
            case "false", "no", "off", "0" -> false;
            default -> throw new IllegalArgumentException(s);
        };
    }

    private static final Pattern BYTE_SIZE =
            Pattern.compile("(\\d+)\\s*(?:([kmg])i?b?|b)?", Pattern.CASE_INSENSITIVE);

    static long parseByteSize(String s) {
        var m = BYTE_SIZE.matcher(s.trim());
        if (!m.matches()) {
            throw new IllegalArgumentException(s);
        }
        var number = Long.parseLong(m.group(1));
        var unit = m.group(2) == null ? "" : m.group(2).toLowerCase(Locale.ROOT);
        var shift = switch (unit) {
            case "k" -> 10;
            case "m" -> 20;
            case "g" -> 30;
            default -> 0;
        };
        if (number > (Long.MAX_VALUE >> shift)) {
            throw new IllegalArgumentException(s);
        }
        return number << shift;
    }

    static Duration parseDuration(String s) {
        var text = s.trim().toLowerCase(Locale.ROOT);
        try {
            if (text.startsWith("p") || text.startsWith("-p")) {
                return Duration.parse(text.toUpperCase(Locale.ROOT));
            }
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException(s, e);
        }
        for (var unit : List.of("ms", "s", "m", "h", "d")) {
            if (text.endsWith(unit)) {
                var number = Long.parseLong(text.substring(0, text.length() - unit.length()).trim());
                return switch (unit) {
                    case "ms" -> Duration.ofMillis(number);
                    case "s" -> Duration.ofSeconds(number);
                    case "m" -> Duration.ofMinutes(number);
                    case "h" -> Duration.ofHours(number);
                    default -> Duration.ofDays(number);
                };
            }
        }
        throw new IllegalArgumentException(s);
    }
}
