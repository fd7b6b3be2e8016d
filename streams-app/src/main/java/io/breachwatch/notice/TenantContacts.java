package io.breachwatch.notice;

import io.breachwatch.config.ConfigException;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;

/**
 * The processor's contact that a notice states (PIPL Art. 57 (3)): {@code notices.contact} for every tenant,
 * replaced per tenant by {@code notices.tenants-file}, a UTF-8 properties file of {@code <tenant>.contact=...} lines.
 */
public final class TenantContacts {
    static final String SUFFIX = ".contact";

    private final String fallback;
    private final Map<String, String> byTenant;

    TenantContacts(String fallback, Map<String, String> byTenant) {
        this.fallback = fallback;
        this.byTenant = Map.copyOf(byTenant);
    }

    /** {@code fallback} for every tenant, and the contacts of {@code file} (null: none); a bad file fails naming the line's key. */
    public static TenantContacts load(String fallback, Path file) {
        if (file == null) {
            return new TenantContacts(fallback, Map.of());
        }
        var key = NoticeConfig.TENANTS_FILE.key();
        var properties = new Properties();
        try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            properties.load(reader);
        } catch (CharacterCodingException e) {
            throw new ConfigException(key, "cannot read " + file + ": not UTF-8 text");
        } catch (IOException e) {
            throw new ConfigException(key, "cannot read " + file + " (" + e.getClass().getSimpleName() + ": " + e.getMessage() + ")");
        } catch (IllegalArgumentException e) {
            throw new ConfigException(key, file + ": not a properties file (" + e.getMessage() + ")");
        }
        var byTenant = new HashMap<String, String>();
        for (var name : properties.stringPropertyNames()) {
            var value = properties.getProperty(name).strip();
            if (!name.endsWith(SUFFIX) || name.length() == SUFFIX.length()) {
                throw new ConfigException(key, file + ": unknown key '" + name + "'; expected <tenant>" + SUFFIX + "=<contact>");
            }
            if (value.isEmpty()) {
                throw new ConfigException(key, file + ": '" + name + "' is empty");
            }
            byTenant.put(name.substring(0, name.length() - SUFFIX.length()), value);
        }
        return new TenantContacts(fallback, byTenant);
    }

    public String contactOf(String tenantId) {
        return tenantId == null ? fallback : byTenant.getOrDefault(tenantId, fallback);
    }
}
