package io.breachwatch.incident;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * Deterministic incident ids: {@code <rule>-<first 20 hex digits of SHA-256(rule|entity|first window start)>}.
 * A replay of the same input yields the same ids; 80 bits keep collisions out of reach for any realistic
 * number of incidents while the id stays short enough to read out on a phone call.
 */
public final class IncidentIds {
    static final int HEX_DIGITS = 20;

    private IncidentIds() {
    }

    public static String of(String ruleId, String entity, long firstWindowStart) {
        try {
            var digest = MessageDigest.getInstance("SHA-256")
                    .digest((ruleId + "|" + entity + "|" + firstWindowStart).getBytes(StandardCharsets.UTF_8));
            return ruleId + "-" + HexFormat.of().formatHex(digest).substring(0, HEX_DIGITS);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required of every JVM", e);
        }
    }
}
