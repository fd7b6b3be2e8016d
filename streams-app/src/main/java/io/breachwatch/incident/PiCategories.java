package io.breachwatch.incident;

import java.util.Collection;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Maps CRM field names to PI categories. A first, simple map: a later issue refines it into the full PIPL
 * Art. 28 catalogue with per-tenant overrides. Unknown field names map to no category.
 */
public final class PiCategories {
    /** PIPL Art. 28 sensitive categories among those below. */
    public static final Set<String> SENSITIVE = Set.of("specific_identity", "financial_account", "medical_health",
            "biometric", "religious_belief", "whereabouts", "minor");

    private static final Map<String, String> BY_FIELD = Map.ofEntries(
            Map.entry("name", "identity"),
            Map.entry("first_name", "identity"),
            Map.entry("last_name", "identity"),
            Map.entry("birth_date", "identity"),
            Map.entry("gender", "identity"),
            Map.entry("mobile", "contact"),
            Map.entry("phone", "contact"),
            Map.entry("email", "contact"),
            Map.entry("wechat", "contact"),
            Map.entry("address", "address"),
            Map.entry("id_card_number", "specific_identity"),
            Map.entry("passport", "specific_identity"),
            Map.entry("passport_number", "specific_identity"),
            Map.entry("bank_account", "financial_account"),
            Map.entry("card_number", "financial_account"),
            Map.entry("credit_card", "financial_account"),
            Map.entry("medical_record", "medical_health"),
            Map.entry("health", "medical_health"),
            Map.entry("diagnosis", "medical_health"),
            Map.entry("fingerprint", "biometric"),
            Map.entry("face_image", "biometric"),
            Map.entry("religion", "religious_belief"),
            Map.entry("location", "whereabouts"),
            Map.entry("gps", "whereabouts"),
            Map.entry("guardian", "minor"),
            Map.entry("minor", "minor"));

    private PiCategories() {
    }

    /** The sorted categories of {@code fields}. */
    public static Set<String> of(Collection<String> fields) {
        var out = new TreeSet<String>();
        for (var f : fields) {
            var category = BY_FIELD.get(f.toLowerCase(Locale.ROOT));
            if (category != null) {
                out.add(category);
            }
        }
        return out;
    }

    public static boolean anySensitive(Collection<String> categories) {
        return categories.stream().anyMatch(SENSITIVE::contains);
    }
}
