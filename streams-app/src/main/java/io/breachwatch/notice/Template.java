package io.breachwatch.notice;

import io.breachwatch.config.ConfigException;

import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A text with {@code ${name}} placeholders, checked when it is read: every placeholder must be one the caller
 * knows, so a typo fails at start, naming the placeholder and where it is, not in a notice sent to people.
 * There is no escape: a template cannot print a literal {@code ${}.
 *
 * @param origin where the text came from (file or resource, and key), for error messages
 */
record Template(String origin, String text, Set<String> placeholders) {
    private static final Pattern PLACEHOLDER = Pattern.compile("\\$\\{([^}]*)}");

    /** Reads {@code text}; an unknown or unterminated placeholder is a {@link ConfigException} on {@code key}. */
    static Template parse(String key, String origin, String text, Set<String> known) {
        var found = new LinkedHashSet<String>();
        var matcher = PLACEHOLDER.matcher(text);
        while (matcher.find()) {
            var name = matcher.group(1).trim();
            if (!known.contains(name)) {
                throw new ConfigException(key, origin + ": unknown placeholder ${" + name + "}; known: " + new TreeSet<>(known));
            }
            found.add(name);
        }
        if (PLACEHOLDER.matcher(text).replaceAll("").contains("${")) {
            throw new ConfigException(key, origin + ": a '${' without its closing '}'");
        }
        return new Template(origin, text, Set.copyOf(found));
    }

    /** Fails on {@code key} unless the text uses every one of {@code required}. */
    Template requiring(String key, Set<String> required, String why) {
        var missing = new TreeSet<>(required);
        missing.removeAll(placeholders);
        if (!missing.isEmpty()) {
            throw new ConfigException(key, origin + ": lacks " + missing.stream().map(p -> "${" + p + "}").toList() + " (" + why + ")");
        }
        return this;
    }

    String render(Map<String, String> values) {
        var matcher = PLACEHOLDER.matcher(text);
        var out = new StringBuilder();
        while (matcher.find()) {
            var value = values.get(matcher.group(1).trim());
            matcher.appendReplacement(out, Matcher.quoteReplacement(value == null ? "" : value));
        }
        matcher.appendTail(out);
        return out.toString();
    }
}
