package io.breachwatch.notice;

import io.breachwatch.config.Field;
import io.breachwatch.config.Settings;
import io.breachwatch.incident.Obligations;

import java.nio.file.Path;
import java.time.ZoneId;
import java.util.List;
import java.util.Set;

/**
 * Settings of the breach-notice tasks: whether and where they are written, which obligations give one, what counts
 * as a material change, and the texts (templates, per-tenant contacts), read and checked at start.
 *
 * @param affectedGrowth a new notice is due when the affected individuals grew by at least this fraction (0.5 = 50 %)
 *                       since the last notice
 */
public record NoticeConfig(boolean enabled, String topic, Set<String> applies, double affectedGrowth, ZoneId timeZone,
                           TenantContacts contacts, NoticeTemplates templates) {
    public static final Field<Boolean> ENABLED = Field.bool("notices.enabled", true,
            "Write a breach-notice task per incident and applicable notification obligation to topics.notices");
    public static final Field<String> TOPIC = Field.string("topics.notices", "crm.breach-notices",
            "Topic the breach-notice tasks are written to (key incident_id, value BreachNotice Avro; not compacted)");
    public static final Field<Set<String>> APPLIES = Field.list("notices.applies", "yes,assess",
            "Which 'applies' values of an obligation give a notice task: yes, and assess (a duty to decide, e.g. whether PIPL Art. 57 spares the individuals)",
            "a comma-separated list of yes, assess", v -> v.equals(Obligations.YES) || v.equals(Obligations.ASSESS));
    public static final Field<Integer> AFFECTED_GROWTH = Field.intRange("notices.affected-growth-percent", 50, 1, 1_000_000,
            "A notice is issued again when the affected individuals grew by at least this many percent since the last notice (or severity rose, PI categories grew or the deadline moved)");
    public static final Field<ZoneId> TIME_ZONE = new Field<>("notices.time-zone", "Asia/Shanghai",
            "Time zone of the times written in the notice texts", "a time-zone id such as Asia/Shanghai, Europe/Berlin or UTC",
            ZoneId::of, z -> true);
    public static final Field<String> CONTACT = Field.string("notices.contact",
            "the personal information protection officer of the processor (set notices.contact)",
            "The processor's contact that every notice states (PIPL Art. 57), unless notices.tenants-file gives the tenant's own");
    public static final Field<String> TENANTS_FILE = Field.optionalString("notices.tenants-file",
            "UTF-8 properties file with one '<tenant>.contact=<contact>' line per tenant whose contact differs from notices.contact");
    public static final Field<String> TEMPLATES_DIR = Field.optionalString("notices.templates-dir",
            "Directory whose notice.zh-CN.txt, notice.en.txt (whole templates) and rules.zh-CN.properties, rules.en.properties (per-rule texts) replace the built-in ones");

    public static List<Field<?>> fields() {
        return List.of(ENABLED, TOPIC, APPLIES, AFFECTED_GROWTH, TIME_ZONE, CONTACT, TENANTS_FILE, TEMPLATES_DIR);
    }

    /** Reads the settings and, when notices are enabled, the templates and the tenants file; a bad file fails naming its key. */
    public static NoticeConfig from(Settings settings) {
        var enabled = settings.get(ENABLED);
        var contacts = enabled ? TenantContacts.load(settings.get(CONTACT), path(settings.get(TENANTS_FILE))) : null;
        var templates = enabled ? NoticeTemplates.load(path(settings.get(TEMPLATES_DIR))) : null;
        return new NoticeConfig(enabled, settings.get(TOPIC), settings.get(APPLIES), settings.get(AFFECTED_GROWTH) / 100.0,
                settings.get(TIME_ZONE), contacts, templates);
    }

    private static Path path(String value) {
        return value == null || value.isBlank() ? null : Path.of(value.trim());
    }
}
