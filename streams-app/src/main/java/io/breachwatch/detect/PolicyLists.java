package io.breachwatch.detect;

import io.breachwatch.config.Field;
import io.breachwatch.schema.AccessEvent;
import io.breachwatch.schema.Incident;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.Named;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.function.UnaryOperator;
import java.util.regex.Pattern;

/**
 * What the policy rules (sensitive-data-access, off-hours-export, cross-border-transfer) share: list keys whose
 * entries name a tenant or a role ({@code acme:Europe/Berlin:MON-FRI:07:00-19:00}, {@code support:specific_identity}),
 * country sets, and the windowed topology with a step that prepares each counted event and one that adds the
 * rule's details to each finding.
 */
final class PolicyLists {
    private static final Pattern COUNTRY = Pattern.compile("[A-Za-z]{2}");

    private PolicyLists() {
    }

    /** One list entry: {@code name:value}, or a bare {@code value} (name null). */
    record Entry(String name, String value) {
    }

    /** Comma-separated entries, each split at its first {@code :}; blank entries are skipped. */
    static List<Entry> entries(String raw) {
        var out = new ArrayList<Entry>();
        for (var part : raw.split(",")) {
            var entry = part.trim();
            if (entry.isEmpty()) {
                continue;
            }
            var colon = entry.indexOf(':');
            out.add(colon < 0 ? new Entry(null, entry) : new Entry(entry.substring(0, colon).trim(), entry.substring(colon + 1).trim()));
        }
        return out;
    }

    /**
     * A list key of {@code name:value} entries, read as name -> value. An entry without a name, a name listed twice
     * or a value {@code value} rejects (by throwing) fails with a {@code ConfigException} naming the key and {@code allowed}.
     *
     * @param name how names compare (e.g. lower-cased for roles; tenants as written)
     */
    static <T> Field<Map<String, T>> keyed(String key, String defaultValue, String description, String allowed,
                                           UnaryOperator<String> name, Function<String, T> value) {
        return new Field<>(key, defaultValue, description, allowed, raw -> {
            var out = new LinkedHashMap<String, T>();
            for (var entry : entries(raw)) {
                if (entry.name() == null || entry.name().isEmpty()) {
                    throw new IllegalArgumentException("entry without a name: " + entry.value());
                }
                if (out.put(name.apply(entry.name()), value.apply(entry.value())) != null) {
                    throw new IllegalArgumentException(entry.name() + " is listed twice");
                }
            }
            return Collections.unmodifiableMap(out);
        }, map -> true);
    }

    /** {@code CN|HK} (or {@code CN,HK} as a whole value): upper-case ISO 3166-1 alpha-2 codes. */
    static Set<String> countries(String text, String separatorRegex) {
        var out = new TreeSet<String>();
        for (var code : text.split(separatorRegex)) {
            var c = code.trim();
            if (!COUNTRY.matcher(c).matches()) {
                throw new IllegalArgumentException("not a two-letter country code: " + c);
            }
            out.add(c.toUpperCase(Locale.ROOT));
        }
        return Collections.unmodifiableSet(out);
    }

    /** Upper-case country code, or null when unknown. */
    static String country(String code) {
        return code == null || code.isBlank() ? null : code.trim().toUpperCase(Locale.ROOT);
    }

    /**
     * The windowed findings of {@code detector}, where each event it counts is first passed through {@code prepare}
     * (e.g. to keep only the fields that matter) and each finding through {@code describe} (to add the rule's
     * details). Processors are named {@code <rule>-prepare} and {@code <rule>-describe}.
     */
    static KStream<String, Finding> findings(KStream<String, AccessEvent> events, Detector detector, RuleContext context,
                                             UnaryOperator<AccessEvent> prepare, UnaryOperator<Finding> describe) {
        var id = detector.ruleId();
        var prepared = events.mapValues(e -> detector.counts(e) ? prepare.apply(e) : e, Named.as(id + "-prepare"));
        return WindowedDetection.findings(prepared, detector, context)
                .mapValues(describe::apply, Named.as(id + "-describe"));
    }

    /** Exports and reads of many rows rarely name customers: the rows are the estimate when larger. */
    static long rowsOrCustomers(Incident incident) {
        return Math.max(incident.getDistinctCustomers(), incident.getRecordCount());
    }

    /** {@code finding} with the cross-border mark and the rule's attributes (ids and counts only). */
    static Finding withDetails(Finding f, boolean crossBorder, Map<String, String> attributes) {
        return new Finding(f.rule(), f.entity(), f.windowStart(), f.windowEnd(), f.observed(), f.window(), f.baseline(),
                crossBorder, f.related(), attributes);
    }
}
