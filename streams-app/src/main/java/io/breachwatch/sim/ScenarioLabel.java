package io.breachwatch.sim;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What was injected, so tests can check it was detected: the actor is a user id, or a source IP for
 * credential stuffing ({@link #actorIsIp()}).
 */
public record ScenarioLabel(String scenarioId, ScenarioKind kind, String expectedRule, String tenantId,
                            String actor, boolean actorIsIp, Instant start, Instant end) {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    /** One JSON line (no newline). */
    public String toJson() {
        var map = new LinkedHashMap<String, Object>();
        map.put("scenario_id", scenarioId);
        map.put("kind", kind.id());
        map.put("expected_rule", expectedRule);
        map.put("tenant_id", tenantId);
        map.put(actorIsIp ? "source_ip" : "user_id", actor);
        map.put("start", start.toString());
        map.put("end", end.toString());
        try {
            return MAPPER.writeValueAsString(map);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    public static ScenarioLabel fromJson(String line) {
        try {
            Map<?, ?> map = MAPPER.readValue(line, Map.class);
            var kind = ScenarioKind.valueOf(map.get("kind").toString().toUpperCase(java.util.Locale.ROOT).replace('-', '_'));
            var isIp = map.containsKey("source_ip");
            return new ScenarioLabel(map.get("scenario_id").toString(), kind, map.get("expected_rule").toString(),
                    map.get("tenant_id").toString(), map.get(isIp ? "source_ip" : "user_id").toString(), isIp,
                    Instant.parse(map.get("start").toString()), Instant.parse(map.get("end").toString()));
        } catch (JsonProcessingException | RuntimeException e) {
            throw new IllegalArgumentException("not a scenario label: " + e.getMessage(), e);
        }
    }
}
