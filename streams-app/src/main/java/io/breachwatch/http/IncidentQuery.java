package io.breachwatch.http;

import io.breachwatch.schema.Incident;
import io.breachwatch.schema.Severity;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * The filter of {@code GET /api/incidents}: every given criterion must match.
 *
 * @param rule     rule_id, or null for any
 * @param severity exact severity, or null for any
 * @param tenant   tenant_id, or null for any
 * @param since    only incidents detected at or after this instant, or null for any
 * @param limit    at most this many, most recently detected first
 */
public record IncidentQuery(String rule, Severity severity, String tenant, Instant since, int limit) {
    public static final int DEFAULT_LIMIT = 100;
    public static final int MAX_LIMIT = 1000;
    static final Set<String> PARAMETERS = Set.of("rule", "severity", "tenant", "since", "limit");

    public static IncidentQuery all() {
        return new IncidentQuery(null, null, null, null, DEFAULT_LIMIT);
    }

    /** Parses query parameters; an unknown parameter or a bad value throws {@link BadParameterException}. */
    public static IncidentQuery parse(Map<String, String> params) {
        requireKnown(params, PARAMETERS);
        return new IncidentQuery(
                nonEmpty(params, "rule"),
                severity(nonEmpty(params, "severity")),
                nonEmpty(params, "tenant"),
                since(nonEmpty(params, "since")),
                limit(nonEmpty(params, "limit")));
    }

    /** The matching incidents, most recently detected first (ties by incident_id), at most {@link #limit}. */
    public List<Incident> select(Stream<Incident> incidents) {
        return incidents.filter(this::matches)
                .sorted(Comparator.comparing(Incident::getDetectedAt).reversed().thenComparing(Incident::getIncidentId))
                .limit(limit)
                .toList();
    }

    public boolean matches(Incident incident) {
        return (rule == null || rule.equals(incident.getRuleId()))
                && (severity == null || severity == incident.getSeverity())
                && (tenant == null || tenant.equals(incident.getTenantId()))
                && (since == null || !incident.getDetectedAt().isBefore(since));
    }

    /** An unknown parameter is an error naming the allowed ones, never silently ignored. */
    static void requireKnown(Map<String, String> params, Set<String> allowed) {
        for (var name : params.keySet()) {
            if (!allowed.contains(name)) {
                throw new BadParameterException(name, "unknown; allowed: " + String.join(", ", allowed.stream().sorted().toList()));
            }
        }
    }

    static String nonEmpty(Map<String, String> params, String name) {
        var value = params.get(name);
        if (value != null && value.isBlank()) {
            throw new BadParameterException(name, "empty value");
        }
        return value;
    }

    private static Severity severity(String value) {
        if (value == null) {
            return null;
        }
        try {
            return Severity.valueOf(value.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            var allowed = Arrays.stream(Severity.values()).map(Enum::name).collect(Collectors.joining(", "));
            throw new BadParameterException("severity", "'" + value + "' is not one of " + allowed);
        }
    }

    /** ISO-8601 instant ({@code 2025-11-01T08:00:00Z}) or epoch milliseconds. */
    static Instant since(String value) {
        if (value == null) {
            return null;
        }
        try {
            if (value.chars().allMatch(Character::isDigit)) {
                return Instant.ofEpochMilli(Long.parseLong(value));
            }
            return Instant.parse(value);
        } catch (NumberFormatException | DateTimeParseException e) {
            throw new BadParameterException("since", "'" + value + "' is neither an ISO-8601 instant (2025-11-01T08:00:00Z) nor epoch milliseconds");
        }
    }

    static int limit(String value) {
        if (value == null) {
            return DEFAULT_LIMIT;
        }
        try {
            int limit = Integer.parseInt(value);
            if (limit >= 1 && limit <= MAX_LIMIT) {
                return limit;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new BadParameterException("limit", "'" + value + "' is not an integer from 1 to " + MAX_LIMIT);
    }
}
