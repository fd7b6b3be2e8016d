package io.breachwatch.incident;

import io.breachwatch.config.ConfigException;
import io.breachwatch.config.Field;
import io.breachwatch.config.Settings;

import java.util.Collection;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Maps CRM field names (as in {@code AccessEvent.fields}) to PI categories. The built-in map covers common CRM
 * field names; {@code pi.field-categories} adds or overrides entries ({@code field:category,...}).
 * Field names are compared case-insensitively with {@code -} and {@code _} treated alike.
 */
public final class PiCatalog {
    public static final Field<Set<String>> EXTRA_MAPPINGS = Field.list("pi.field-categories", "",
            "Extra field-to-PI-category mappings, e.g. 'huji:specific_identity,vip_level:other_pi'",
            "a comma-separated list of field:category with category one of " + List.of(PiCategory.values()).toString().toLowerCase(Locale.ROOT),
            PiCatalog::isValidMapping);

    private static final Map<String, PiCategory> BUILT_IN = builtIn();

    private final Map<String, PiCategory> byField;

    private PiCatalog(Map<String, PiCategory> byField) {
        this.byField = Map.copyOf(byField);
    }

    public static List<Field<?>> fields() {
        return List.of(EXTRA_MAPPINGS);
    }

    public static PiCatalog defaults() {
        return new PiCatalog(BUILT_IN);
    }

    public static PiCatalog from(Settings settings) {
        var map = new HashMap<>(BUILT_IN);
        for (var mapping : settings.get(EXTRA_MAPPINGS)) {
            var parts = mapping.split(":", 2);
            map.put(normalise(parts[0]), PiCategory.fromCode(parts[1]));
        }
        return new PiCatalog(map);
    }

    /** The category of one field, or null when the field is not personal information (e.g. {@code stage}). */
    public PiCategory categoryOf(String field) {
        return field == null ? null : byField.get(normalise(field));
    }

    /** The categories of the given fields, in declaration order. */
    public Set<PiCategory> categoriesOf(Collection<String> fields) {
        var out = EnumSet.noneOf(PiCategory.class);
        for (var f : fields) {
            var c = categoryOf(f);
            if (c != null) {
                out.add(c);
            }
        }
        return out;
    }

    private static boolean isValidMapping(String mapping) {
        var parts = mapping.split(":", 2);
        if (parts.length != 2 || parts[0].isBlank()) {
            return false;
        }
        try {
            PiCategory.fromCode(parts[1]);
            return true;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    static String normalise(String field) {
        return field.trim().toLowerCase(Locale.ROOT).replace('-', '_');
    }

    private static Map<String, PiCategory> builtIn() {
        var m = new HashMap<String, PiCategory>();
        put(m, PiCategory.BASIC_IDENTITY, "name", "first_name", "last_name", "full_name", "gender", "birth_date", "birthday", "date_of_birth", "age", "nationality");
        put(m, PiCategory.CONTACT, "mobile", "phone", "mobile_phone", "telephone", "email", "address", "home_address", "postal_address", "wechat", "wechat_id", "qq");
        put(m, PiCategory.SPECIFIC_IDENTITY, "id_card_number", "id_card", "id_number", "passport", "passport_number", "social_security_number", "driver_license", "resident_permit");
        put(m, PiCategory.FINANCIAL_ACCOUNT, "bank_account", "bank_card", "card_number", "credit_card", "account_balance", "alipay_account", "income", "credit_score");
        put(m, PiCategory.MEDICAL_HEALTH, "medical_record", "diagnosis", "health_status", "health", "medical_history", "insurance_claim", "prescription");
        put(m, PiCategory.BIOMETRICS, "face_image", "face", "fingerprint", "voiceprint", "iris", "biometric");
        put(m, PiCategory.RELIGIOUS_BELIEF, "religion", "religious_belief");
        put(m, PiCategory.WHEREABOUTS, "location", "gps_location", "home_location", "travel_history", "whereabouts", "geo");
        put(m, PiCategory.MINORS, "minor", "is_minor", "guardian", "guardian_name", "child_name", "student_id");
        return m;
    }

    private static void put(Map<String, PiCategory> m, PiCategory category, String... fields) {
        for (var f : fields) {
            if (m.put(f, category) != null) {
                throw new ConfigException(null, "duplicate built-in PI field " + f);
            }
        }
    }
}
