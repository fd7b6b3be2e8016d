package io.breachwatch.incident;

import io.breachwatch.config.ConfigException;
import io.breachwatch.config.Field;
import io.breachwatch.config.Settings;
import io.breachwatch.schema.Incident;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Optional keyed pseudonymization of the personal identifiers an incident carries, for sites whose notifiers
 * must not see raw ids: {@code user_id}, {@code source_ip}, the id part of {@code entity} ({@code tenant/<id>}; the
 * tenant stays), customer ids in attributes, and every mention of those in the summary and the attributes.
 *
 * <p>A pseudonym is {@code hmac:} + the first 16 bytes (32 hex digits) of HmacSHA256(key, raw id): deterministic,
 * so one user's incidents stay linkable, and without the key neither reversible nor guessable from a list of
 * candidate ids (a plain hash would be). The key comes from {@code pseudonymize.key}
 * ({@code BREACHWATCH_PSEUDONYMIZE_KEY}), at least {@value #MIN_KEY_BYTES} bytes, and is never printed.
 */
public final class Pseudonymizer {
    public static final String PREFIX = "hmac:";
    static final int MIN_KEY_BYTES = 32;
    private static final int PSEUDONYM_BYTES = 16;
    private static final String ALGORITHM = "HmacSHA256";

    public static final Field<Boolean> ENABLED = Field.bool("pseudonymize.enabled", false,
            "Replace user ids, source IPs and customer ids in incidents (and the summary) by keyed HMAC pseudonyms before they are written; needs pseudonymize.key");
    /** Secret: declared as a free string so that no error message ever echoes it; checked in {@link #from}. */
    public static final Field<String> KEY = new Field<>("pseudonymize.key", null,
            "Secret HMAC key for pseudonymize.enabled (at least 32 bytes; set it through the environment, never in a shared file; never logged)",
            "a secret of at least " + MIN_KEY_BYTES + " bytes (optional)", s -> s, s -> true);

    private static final Pseudonymizer DISABLED = new Pseudonymizer(null);
    /** Characters that continue an id: a mention of an id is not preceded or followed by one of them. */
    private static final String ID_CHAR = "[\\p{L}\\p{N}_@-]";

    private final SecretKeySpec key;

    private Pseudonymizer(byte[] key) {
        this.key = key == null ? null : new SecretKeySpec(key, ALGORITHM);
    }

    public static List<Field<?>> fields() {
        return List.of(ENABLED, KEY);
    }

    /** The identity: incidents pass unchanged. */
    public static Pseudonymizer disabled() {
        return DISABLED;
    }

    /** A pseudonymizer with {@code key}; at least {@value #MIN_KEY_BYTES} bytes, else a {@link ConfigException} (never naming the key's value). */
    public static Pseudonymizer withKey(byte[] key) {
        if (key == null || key.length < MIN_KEY_BYTES) {
            throw new ConfigException(KEY.key(), "must be at least " + MIN_KEY_BYTES + " bytes when " + ENABLED.key()
                    + " is true, got " + (key == null ? "none" : key.length + " bytes")
                    + "; set " + KEY.envName() + ", e.g. to the output of 'openssl rand -base64 48'");
        }
        return new Pseudonymizer(key.clone());
    }

    public static Pseudonymizer from(Settings settings) {
        if (!settings.get(ENABLED)) {
            return DISABLED;
        }
        var secret = settings.get(KEY);
        return withKey(secret == null || secret.isBlank() ? null : secret.getBytes(StandardCharsets.UTF_8));
    }

    public boolean enabled() {
        return key != null;
    }

    /** The pseudonym of {@code raw}: {@code hmac:<32 hex digits>}; null stays null; unchanged when disabled. */
    public String id(String raw) {
        if (raw == null || !enabled() || raw.startsWith(PREFIX)) {
            return raw;
        }
        try {
            var mac = Mac.getInstance(ALGORITHM);
            mac.init(key);
            var digest = mac.doFinal(raw.getBytes(StandardCharsets.UTF_8));
            return PREFIX + HexFormat.of().formatHex(Arrays.copyOf(digest, PSEUDONYM_BYTES));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(ALGORITHM + " is required of every JVM", e);
        }
    }

    /** {@code tenant/<id>} with the id part pseudonymized (the tenant is not personal); a plain id as {@link #id}. */
    public String entity(String entity) {
        if (entity == null || !enabled()) {
            return entity;
        }
        var slash = entity.indexOf('/');
        return slash < 0 ? id(entity) : entity.substring(0, slash + 1) + id(entity.substring(slash + 1));
    }

    /**
     * A copy of {@code incident} with its personal identifiers replaced by pseudonyms; the same instance when
     * disabled. The incident id is left alone: with pseudonymization on it is derived from the pseudonymized entity.
     */
    public Incident apply(Incident incident) {
        if (!enabled() || incident == null) {
            return incident;
        }
        var out = Incident.newBuilder(incident).build();
        var raw = new java.util.LinkedHashSet<String>();
        addIfPresent(raw, incident.getUserId());
        addIfPresent(raw, incident.getSourceIp());
        var entity = incident.getEntity();
        var slash = entity.indexOf('/');
        addIfPresent(raw, slash < 0 ? entity : entity.substring(slash + 1));

        out.setUserId(id(incident.getUserId()));
        out.setSourceIp(id(incident.getSourceIp()));
        out.setEntity(entity(entity));
        var attributes = new LinkedHashMap<String, String>();
        incident.getAttributes().forEach((name, value) -> {
            if (isCustomerIds(name)) {
                attributes.put(name, Arrays.stream(value.split(",", -1)).map(String::trim)
                        .map(v -> v.isEmpty() ? v : id(v)).collect(Collectors.joining(",")));
            } else {
                attributes.put(name, replaceMentions(value, raw));
            }
        });
        out.setAttributes(attributes);
        out.setSummary(replaceMentions(incident.getSummary(), raw));
        return out;
    }

    private static boolean isCustomerIds(String attribute) {
        var name = attribute.toLowerCase(Locale.ROOT);
        return name.endsWith("customer_id") || name.endsWith("customer_ids");
    }

    private static void addIfPresent(java.util.Set<String> set, String value) {
        if (value != null && !value.isBlank() && !value.startsWith(PREFIX)) {
            set.add(value);
        }
    }

    /** {@code text} with every whole mention of a raw id replaced by its pseudonym (longest ids first). */
    private String replaceMentions(String text, java.util.Set<String> raw) {
        if (text == null || text.isEmpty()) {
            return text;
        }
        var result = text;
        for (var value : raw.stream().sorted((a, b) -> b.length() - a.length()).toList()) {
            var mention = Pattern.compile("(?<!" + ID_CHAR + ")" + Pattern.quote(value) + "(?!" + ID_CHAR + "|\\.[\\p{L}\\p{N}])");
            result = mention.matcher(result).replaceAll(Matcher.quoteReplacement(id(value)));
        }
        return result;
    }

    /** Never prints the key. */
    @Override
    public String toString() {
        return "Pseudonymizer[" + (enabled() ? "enabled, key ****" : "disabled") + "]";
    }
}
