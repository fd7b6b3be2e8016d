package io.breachwatch.config;

import java.util.List;

/** Renders the {@link Field} list for humans: the README's configuration table and {@code breachwatch config --list}. */
public final class ConfigDocs {
    public static final String TABLE_START = "<!-- config-table:start -->";
    public static final String TABLE_END = "<!-- config-table:end -->";

    private ConfigDocs() {
    }

    /** A Markdown table, one row per key: key, environment variable, default, allowed values, description. */
    public static String markdownTable(List<Field<?>> fields) {
        var out = new StringBuilder("| key | environment | default | allowed | description |\n|---|---|---|---|---|\n");
        for (var field : fields) {
            out.append("| `").append(field.key()).append("` | `").append(environmentName(field)).append("` | ")
                    .append(field.defaultValue() == null ? "(unset)" : "`" + field.defaultValue() + "`").append(" | ")
                    .append(cell(field.allowed())).append(" | ").append(cell(field.description())).append(" |\n");
        }
        return out.toString();
    }

    /** Plain text for a terminal: one block per key. */
    public static String plainText(List<Field<?>> fields) {
        var out = new StringBuilder();
        for (var field : fields) {
            out.append(field.key()).append("  (env ").append(environmentName(field)).append(", default ")
                    .append(field.defaultValue() == null ? "unset" : field.defaultValue()).append(")\n")
                    .append("    ").append(field.description()).append("\n")
                    .append("    allowed: ").append(field.allowed()).append("\n");
        }
        return out.toString();
    }

    /** {@code kafka.*} keys are set with {@code KAFKA_*} like every client property; the rest with {@code BREACHWATCH_*}. */
    public static String environmentName(Field<?> field) {
        if (field.key().startsWith(Settings.KAFKA_PREFIX)) {
            return "KAFKA_" + field.key().substring(Settings.KAFKA_PREFIX.length()).toUpperCase(java.util.Locale.ROOT).replace('.', '_');
        }
        return field.envName();
    }

    private static String cell(String text) {
        return text.replace("|", "\\|").replace("\n", " ");
    }
}
