package io.breachwatch.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.breachwatch.detect.WindowAggregate;
import io.breachwatch.serde.JsonEvents;
import org.apache.avro.generic.IndexedRecord;

import java.time.Instant;
import java.util.Collection;
import java.util.Map;

/**
 * Renders what the stores hold as plain JSON for people and dashboards. Avro records (incidents, baselines) go
 * through the project's one record renderer, {@link JsonEvents#toTree(IndexedRecord)}: field names as in the
 * schema, enums as their symbol, timestamp-millis as ISO-8601 text.
 */
public final class AvroJson {
    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;

    private AvroJson() {
    }

    /** Any value the stores may hold: Avro records, window aggregates, numbers, text, instants; other objects as their text. */
    public static JsonNode anyToJson(Object value) {
        if (value == null) {
            return JSON.nullNode();
        }
        if (value instanceof IndexedRecord record) {
            return JsonEvents.toTree(record);
        }
        if (value instanceof WindowAggregate window) {
            return anyToJson(window.explain());
        }
        if (value instanceof Number number) {
            return JsonEvents.number(number);
        }
        if (value instanceof Boolean bool) {
            return JSON.booleanNode(bool);
        }
        if (value instanceof Instant instant) {
            return JSON.textNode(instant.toString());
        }
        if (value instanceof Collection<?> items) {
            var array = JSON.arrayNode();
            items.forEach(item -> array.add(anyToJson(item)));
            return array;
        }
        if (value instanceof Map<?, ?> map) {
            var object = JSON.objectNode();
            map.forEach((k, v) -> object.set(String.valueOf(k), anyToJson(v)));
            return object;
        }
        return JSON.textNode(value.toString());
    }
}
