package io.breachwatch.detect;

import io.breachwatch.schema.Incident;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

/**
 * Wording shared by the detectors' one-sentence summaries: "... 12,400 records in 1 h (threshold 10,000)
 * between 10:05 and 10:41 UTC." Ids only; never names, IP addresses or other personal information.
 */
public final class Summaries {
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm", Locale.ROOT).withZone(ZoneOffset.UTC);
    private static final DateTimeFormatter DATE_TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm", Locale.ROOT).withZone(ZoneOffset.UTC);

    private Summaries() {
    }

    /** "User u-123 of tenant acme". */
    public static String user(Incident incident) {
        return "User " + incident.getUserId() + " of tenant " + incident.getTenantId();
    }

    /** " in 1 h (threshold 10,000) between 10:05 and 10:41 UTC." */
    public static String windowAndSpan(Incident incident, Duration window) {
        return " in " + duration(window) + " (threshold " + count(incident.getThreshold()) + ") between "
                + span(incident.getFirstSeen(), incident.getLastSeen()) + ".";
    }

    /** 12400 -> "12,400". */
    public static String count(double value) {
        return value == Math.rint(value)
                ? String.format(Locale.US, "%,d", (long) value)
                : String.format(Locale.US, "%,.1f", value);
    }

    /** "1 h", "10 min", "90 min", "30 s", "2 d". */
    public static String duration(Duration d) {
        if (d.toDays() > 0 && d.equals(Duration.ofDays(d.toDays()))) {
            return d.toDays() + " d";
        }
        if (d.toHours() > 0 && d.equals(Duration.ofHours(d.toHours()))) {
            return d.toHours() + " h";
        }
        if (d.toMinutes() > 0 && d.equals(Duration.ofMinutes(d.toMinutes()))) {
            return d.toMinutes() + " min";
        }
        if (d.toSeconds() > 0 && d.equals(Duration.ofSeconds(d.toSeconds()))) {
            return d.toSeconds() + " s";
        }
        return d.toMillis() + " ms";
    }

    /** "10:05 and 10:41 UTC", with dates when the span crosses midnight. */
    public static String span(Instant from, Instant to) {
        var sameDay = from.atZone(ZoneOffset.UTC).toLocalDate().equals(to.atZone(ZoneOffset.UTC).toLocalDate());
        var format = sameDay ? TIME : DATE_TIME;
        return format.format(from) + " and " + format.format(to) + " UTC";
    }
}
