package io.breachwatch.notice;

import io.breachwatch.config.ConfigException;

import java.io.IOException;
import java.io.InputStream;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;

/**
 * The texts notices are made of, per {@link Language}: the notice template ({@code notice.<lang>.txt}) and the
 * per-rule texts ({@code rules.<lang>.properties}: {@code <rule>.cause}, {@code .possible_harm},
 * {@code .remedial_measures}, {@code .what_individuals_can_do}; {@code default.<item>} where a rule has no text of its own).
 * The defaults are resources under {@code notices/}; a file of the same name in {@code notices.templates-dir}
 * replaces a notice template, or overrides the rule texts it names. Everything is read and checked at start.
 */
public final class NoticeTemplates {
    /** Placeholders every text may use: facts of the incident and the obligation, written for the language. */
    public static final Set<String> FACTS = Set.of("notice_id", "notice_revision", "incident_id", "incident_revision",
            "incident_status", "obligation", "obligation_name", "recipient", "applies", "due_at", "tenant_id", "actor",
            "rule_id", "severity", "affected_individuals", "record_count", "event_count", "first_seen", "last_seen",
            "pi_categories", "sensitive_pi", "cross_border", "destination_countries", "evidence_event_ids", "summary");
    /** The per-rule texts, in the order PIPL Art. 57 lists them. */
    public static final List<String> RULE_ITEMS = List.of("cause", "possible_harm", "remedial_measures", "what_individuals_can_do");
    public static final String CONTACT = "processor_contact";
    /** What PIPL Art. 57 says a notice states: every notice template must use these. */
    public static final Set<String> ART_57 = Set.of("pi_categories", "cause", "possible_harm", "remedial_measures",
            "what_individuals_can_do", CONTACT);
    static final String FALLBACK_RULE = "default";
    private static final String KEY = NoticeConfig.TEMPLATES_DIR.key();

    private final Map<Language, Template> notices;
    private final Map<Language, Map<String, Template>> ruleTexts;

    private NoticeTemplates(Map<Language, Template> notices, Map<Language, Map<String, Template>> ruleTexts) {
        this.notices = notices;
        this.ruleTexts = ruleTexts;
    }

    public static String noticeFile(Language language) {
        return "notice." + language.tag() + ".txt";
    }

    public static String rulesFile(Language language) {
        return "rules." + language.tag() + ".properties";
    }

    /** The built-in texts, overridden by the files in {@code dir} (null: none). */
    public static NoticeTemplates load(Path dir) {
        requireOverrides(dir);
        var notices = new EnumMap<Language, Template>(Language.class);
        var rules = new EnumMap<Language, Map<String, Template>>(Language.class);
        var known = new LinkedHashSet<>(FACTS);
        known.addAll(ART_57);
        for (var language : Language.values()) {
            var file = noticeFile(language);
            var override = dir == null ? null : dir.resolve(file);
            var text = override != null && Files.isRegularFile(override) ? read(override) : resource(file);
            var origin = override != null && Files.isRegularFile(override) ? override.toString() : "built-in " + file;
            notices.put(language, Template.parse(KEY, origin, text, known).requiring(KEY, ART_57, "PIPL Art. 57 says what a notice states"));
            rules.put(language, ruleTexts(dir, language));
        }
        return new NoticeTemplates(notices, rules);
    }

    /** A directory that is set must exist and hold at least one of the files it may override. */
    private static void requireOverrides(Path dir) {
        if (dir == null) {
            return;
        }
        if (!Files.isDirectory(dir)) {
            throw new ConfigException(KEY, "directory " + dir + " does not exist (or is not a directory)");
        }
        var names = Stream.of(Language.values()).flatMap(l -> Stream.of(noticeFile(l), rulesFile(l))).toList();
        if (names.stream().noneMatch(n -> Files.isRegularFile(dir.resolve(n)))) {
            throw new ConfigException(KEY, "directory " + dir + " holds none of the template files " + names);
        }
    }

    private static Map<String, Template> ruleTexts(Path dir, Language language) {
        var file = rulesFile(language);
        var defaults = properties(resource(file), "built-in " + file);
        requireComplete(defaults, "built-in " + file);
        var override = dir == null ? null : dir.resolve(file);
        if (override != null && Files.isRegularFile(override)) {
            var overrides = properties(read(override), override.toString());
            for (var key : overrides.stringPropertyNames()) {
                if (defaults.getProperty(key) == null) {
                    throw new ConfigException(KEY, override + ": unknown key '" + key + "'; keys are <rule>." + String.join("|", RULE_ITEMS)
                            + " with rule one of " + rules(defaults));
                }
                defaults.setProperty(key, overrides.getProperty(key));
            }
        }
        var origin = override != null && Files.isRegularFile(override) ? override + " (over the built-in texts)" : "built-in " + file;
        var out = new HashMap<String, Template>();
        for (var key : defaults.stringPropertyNames()) {
            var text = defaults.getProperty(key).strip();
            if (text.isEmpty()) {
                throw new ConfigException(KEY, origin + ": '" + key + "' is empty");
            }
            out.put(key, Template.parse(KEY, origin + " " + key, text, FACTS));
        }
        return Map.copyOf(out);
    }

    /** Every key is {@code <rule>.<item>}, and the fallback has every item. */
    private static void requireComplete(Properties texts, String origin) {
        for (var key : texts.stringPropertyNames()) {
            if (!key.contains(".") || !RULE_ITEMS.contains(key.substring(key.lastIndexOf('.') + 1))) {
                throw new ConfigException(KEY, origin + ": '" + key + "' is not <rule>." + String.join("|", RULE_ITEMS));
            }
        }
        for (var item : RULE_ITEMS) {
            if (texts.getProperty(FALLBACK_RULE + "." + item) == null) {
                throw new ConfigException(KEY, origin + ": '" + FALLBACK_RULE + "." + item + "' is missing");
            }
        }
    }

    private static TreeSet<String> rules(Properties texts) {
        var out = new TreeSet<String>();
        texts.stringPropertyNames().forEach(k -> out.add(k.contains(".") ? k.substring(0, k.lastIndexOf('.')) : k));
        return out;
    }

    /** The {@code <rule>.<item>} keys with a text of their own in {@code language} (the others use {@code default.<item>}). */
    Set<String> ownTexts(Language language) {
        return new TreeSet<>(ruleTexts.get(language).keySet());
    }

    /** A per-rule text ({@code item} one of {@link #RULE_ITEMS}) with the facts filled in. */
    String ruleText(Language language, String ruleId, String item, Map<String, String> facts) {
        var texts = ruleTexts.get(language);
        var template = texts.getOrDefault(ruleId + "." + item, texts.get(FALLBACK_RULE + "." + item));
        return template.render(facts);
    }

    /** The whole notice: facts plus the Art. 57 items. */
    String notice(Language language, Map<String, String> values) {
        return notices.get(language).render(values);
    }

    private static Properties properties(String text, String origin) {
        var properties = new Properties();
        try {
            properties.load(new StringReader(text));
        } catch (IOException | IllegalArgumentException e) {
            throw new ConfigException(KEY, origin + ": not a properties file (" + e.getMessage() + ")");
        }
        return properties;
    }

    private static String read(Path file) {
        try {
            return Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new ConfigException(KEY, "cannot read " + file + " as UTF-8 (" + e.getClass().getSimpleName() + ": " + e.getMessage() + ")");
        }
    }

    private static String resource(String file) {
        try (InputStream in = NoticeTemplates.class.getResourceAsStream("/notices/" + file)) {
            if (in == null) {
                throw new ConfigException(KEY, "built-in template notices/" + file + " is missing from the application");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new ConfigException(KEY, "cannot read built-in template notices/" + file + " (" + e.getMessage() + ")");
        }
    }
}
