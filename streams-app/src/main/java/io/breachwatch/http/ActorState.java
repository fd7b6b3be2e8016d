package io.breachwatch.http;

import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What the stores hold about one actor: why did a rule fire, or why not.
 *
 * @param windows per window store, the actor's windows (newest first) with their values
 * @param values  per key-value store (baselines, last login, last seen, ...), the actor's value; absent when none
 */
public record ActorState(String tenant, String user, Map<String, List<WindowValue>> windows, Map<String, Object> values) {

    public ActorState {
        // insertion order kept: stores appear in the order the topology lists them
        windows = Collections.unmodifiableMap(new LinkedHashMap<>(windows));
        values = Collections.unmodifiableMap(new LinkedHashMap<>(values));
    }

    /** One window of one store: its start (event time) and the aggregate the rule compares with its threshold. */
    public record WindowValue(Instant windowStart, Object value) {
    }
}
