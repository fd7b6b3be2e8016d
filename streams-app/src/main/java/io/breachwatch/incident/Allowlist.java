package io.breachwatch.incident;

import io.breachwatch.config.Field;
import io.breachwatch.config.Settings;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Set;

/**
 * Known false positives, suppressed without losing the record of them: a matching incident is still emitted,
 * with status SUPPRESSED, and counted in {@code breachwatch.incidents.suppressed}.
 *
 * <p>Configured as {@code allowlist.entries=tenant:user:rule:until,...} where any of tenant, user, rule may be
 * {@code *} and {@code until} is an ISO date (exclusive, UTC) or {@code *} for no end.
 * Example: {@code acme:etl-nightly:bulk-export:2027-01-01}.
 */
public final class Allowlist {
    public static final Field<Set<String>> ENTRIES = Field.list("allowlist.entries", "",
            "Suppressed (tenant:user:rule:until) entries; '*' matches any, until is an ISO date (exclusive, UTC) or '*'",
            "a comma-separated list of tenant:user:rule:until, e.g. acme:etl-nightly:bulk-export:2027-01-01",
            Allowlist::isValid);

    public record Entry(String tenant, String user, String rule, Instant until) {
        boolean matches(String tenantId, String userId, String ruleId, Instant at) {
            return any(tenant, tenantId) && any(user, userId) && any(rule, ruleId) && (until == null || at.isBefore(until));
        }

        private static boolean any(String pattern, String value) {
            return pattern.equals("*") || pattern.equals(value);
        }
    }

    private final List<Entry> entries;

    public Allowlist(List<Entry> entries) {
        this.entries = List.copyOf(entries);
    }

    public static List<Field<?>> fields() {
        return List.of(ENTRIES);
    }

    public static Allowlist from(Settings settings) {
        return new Allowlist(settings.get(ENTRIES).stream().map(Allowlist::parse).toList());
    }

    public static Allowlist empty() {
        return new Allowlist(List.of());
    }

    /** True when an entry covers this rule firing for this actor at event time {@code at}. */
    public boolean suppresses(String tenantId, String userId, String ruleId, Instant at) {
        return entries.stream().anyMatch(e -> e.matches(tenantId, userId, ruleId, at));
    }

    private static boolean isValid(String text) {
        try {
            parse(text);
            return true;
        } catch (IllegalArgumentException | DateTimeParseException e) {
            return false;
        }
    }

    private static Entry parse(String text) {
        var parts = text.split(":", -1);
        if (parts.length != 4 || List.of(parts).stream().anyMatch(String::isBlank)) {
            throw new IllegalArgumentException(text);
        }
        var until = parts[3].equals("*") ? null : LocalDate.parse(parts[3]).atStartOfDay(ZoneOffset.UTC).toInstant();
        return new Entry(parts[0].trim(), parts[1].trim(), parts[2].trim(), until);
    }
}
