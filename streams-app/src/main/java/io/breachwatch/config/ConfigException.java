package io.breachwatch.config;

/** A setting is missing, unknown or invalid. The message names the key and what is allowed. */
public final class ConfigException extends RuntimeException {
    private final String key;

    public ConfigException(String key, String message) {
        super(key == null ? message : key + ": " + message);
        this.key = key;
    }

    /** The offending key, or null when the problem is not tied to one key (e.g. an unreadable file). */
    public String key() {
        return key;
    }
}
