package io.breachwatch.config;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * Raw settings merged as defaults &lt; properties file &lt; environment, read through typed {@link Field}s.
 *
 * <p>Two kinds of keys: Breachwatch's own (declared by a {@link Field}; unknown ones are an error, so a typo
 * never silently falls back to a default) and pass-through client properties under {@value #KAFKA_PREFIX}
 * (handed to the Kafka clients and Kafka Streams unchanged, without the prefix). In the environment,
 * {@code BREACHWATCH_DETECT_BULK_EXPORT_WINDOW} sets {@code detect.bulk-export.window} and
 * {@code KAFKA_BOOTSTRAP_SERVERS} sets {@code kafka.bootstrap.servers}.
 */
public final class Settings {
    public static final String KAFKA_PREFIX = "kafka.";
    private static final String ENV_PREFIX = "BREACHWATCH_";
    private static final String KAFKA_ENV_PREFIX = "KAFKA_";

    private final Map<String, String> raw;

    private Settings(Map<String, String> raw) {
        this.raw = Map.copyOf(raw);
    }

    public static Settings of(Map<String, String> values) {
        return new Settings(values);
    }

    public static Settings empty() {
        return new Settings(Map.of());
    }

    /**
     * Loads the file (optional) and the environment over it. Environment variables are matched against the
     * declared fields (so unrelated variables are ignored); every {@code KAFKA_*} variable becomes a
     * {@code kafka.*} client property.
     */
    public static Settings load(Path file, Map<String, String> env, Collection<Field<?>> fields) {
        var merged = new HashMap<String, String>();
        if (file != null) {
            merged.putAll(readProperties(file));
        }
        var byEnvName = fields.stream().collect(Collectors.toMap(Field::envName, Field::key, (a, b) -> a));
        env.forEach((name, value) -> {
            var key = byEnvName.get(name);
            if (key != null) {
                merged.put(key, value);
            } else if (name.startsWith(KAFKA_ENV_PREFIX) && name.length() > KAFKA_ENV_PREFIX.length()
                    && !KAFKA_SCRIPT_VARIABLES.contains(name)) {
                merged.put(KAFKA_PREFIX + name.substring(KAFKA_ENV_PREFIX.length()).toLowerCase(Locale.ROOT).replace('_', '.'), value);
            } else if (name.startsWith(ENV_PREFIX) && !isLauncherVariable(name)) {
                throw new ConfigException(name, "unknown environment variable; see --help for the keys Breachwatch reads");
            }
        });
        return new Settings(merged);
    }

    /** Variables the launcher script, CI and the log configuration use; not configuration keys. */
    private static final Set<String> LAUNCHER_VARIABLES = Set.of("BREACHWATCH_OPTS", "BREACHWATCH_JAVA",
            "BREACHWATCH_HOME", "BREACHWATCH_REBUILD", "BREACHWATCH_JAVA21", "BREACHWATCH_LOG_LEVEL");

    /** Variables of Kafka's own shell scripts (often set in Kafka images); not client properties. */
    private static final Set<String> KAFKA_SCRIPT_VARIABLES = Set.of("KAFKA_HOME", "KAFKA_OPTS", "KAFKA_HEAP_OPTS",
            "KAFKA_JVM_PERFORMANCE_OPTS", "KAFKA_LOG4J_OPTS", "KAFKA_JMX_OPTS", "KAFKA_GC_LOG_OPTS", "KAFKA_DEBUG",
            "KAFKA_VERSION", "KAFKA_LOG_DIR");

    private static boolean isLauncherVariable(String name) {
        return LAUNCHER_VARIABLES.contains(name);
    }

    private static Map<String, String> readProperties(Path file) {
        if (!Files.isRegularFile(file)) {
            throw new ConfigException(null, "configuration file not found: " + file);
        }
        var props = new Properties();
        try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            props.load(reader);
        } catch (IOException | IllegalArgumentException e) {
            throw new ConfigException(null, "cannot read configuration file " + file + ": " + e.getMessage());
        }
        var out = new TreeMap<String, String>();
        props.stringPropertyNames().forEach(k -> out.put(k.trim(), props.getProperty(k)));
        return out;
    }

    /** Returns a copy with {@code key} set (later wins). */
    public Settings with(String key, String value) {
        var copy = new HashMap<>(raw);
        copy.put(key, value);
        return new Settings(copy);
    }

    /** Returns a copy where {@code overrides} win. */
    public Settings withAll(Map<String, String> overrides) {
        var copy = new HashMap<>(raw);
        copy.putAll(overrides);
        return new Settings(copy);
    }

    public <T> T get(Field<T> field) {
        return field.parse(raw.get(field.key()));
    }

    public boolean isSet(Field<?> field) {
        return raw.containsKey(field.key());
    }

    /** The pass-through {@code kafka.*} properties without their prefix. */
    public Map<String, String> kafkaProperties() {
        var out = new TreeMap<String, String>();
        raw.forEach((k, v) -> {
            if (k.startsWith(KAFKA_PREFIX)) {
                out.put(k.substring(KAFKA_PREFIX.length()), v);
            }
        });
        return out;
    }

    /**
     * Fails on the first unknown key or invalid value, naming the key and what is allowed.
     * Pass-through {@code kafka.*} keys are left to the Kafka clients' own validation.
     */
    public void validate(List<Field<?>> fields) {
        var known = fields.stream().collect(Collectors.toMap(Field::key, f -> f, (a, b) -> a));
        for (var key : new TreeMap<>(raw).keySet()) {
            if (!key.startsWith(KAFKA_PREFIX) && !known.containsKey(key)) {
                throw new ConfigException(key, "unknown key; see --help or the README for the keys Breachwatch reads");
            }
        }
        fields.forEach(this::get);
    }
}
