package io.breachwatch.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.apache.avro.LogicalTypes;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericFixed;
import org.apache.avro.generic.IndexedRecord;

import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.Base64;
import java.util.Collection;
import java.util.Map;

/**
 * Renders Avro records (specific or generic) as plain JSON for people and dashboards: field names as in the
 * schema, a null union branch as JSON null, enums as their symbol, timestamp-millis as ISO-8601 text.
 * Not the Avro JSON encoding (which wraps union values in a type object).
 */
public final class AvroJson {
    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;

    private AvroJson() {
    }

    public static ObjectNode toJson(IndexedRecord record) {
        return (ObjectNode) value(record.getSchema(), record);
    }

    /** Any value the stores may hold: Avro records, numbers, text, instants; other objects as their text. */
    public static JsonNode anyToJson(Object value) {
        if (value == null) {
            return JSON.nullNode();
        }
        if (value instanceof IndexedRecord record) {
            return toJson(record);
        }
        if (value instanceof io.breachwatch.detect.WindowAggregate window) {
            return anyToJson(window.explain());
        }
        if (value instanceof Number number) {
            return number(number);
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

    private static JsonNode value(Schema schema, Object value) {
        if (value == null) {
            return JSON.nullNode();
        }
        return switch (schema.getType()) {
            case RECORD -> record(schema, (IndexedRecord) value);
            case UNION -> value(branch(schema, value), value);
            case ARRAY -> array(schema.getElementType(), (Collection<?>) value);
            case MAP -> map(schema.getValueType(), (Map<?, ?>) value);
            case ENUM, STRING -> JSON.textNode(value.toString());
            case INT, LONG -> isTimestamp(schema) || value instanceof Instant ? timestamp(value) : number((Number) value);
            case FLOAT, DOUBLE -> number((Number) value);
            case BOOLEAN -> JSON.booleanNode((Boolean) value);
            case BYTES -> JSON.textNode(Base64.getEncoder().encodeToString(bytes((ByteBuffer) value)));
            case FIXED -> JSON.textNode(Base64.getEncoder().encodeToString(((GenericFixed) value).bytes()));
            case NULL -> JSON.nullNode();
        };
    }

    private static ObjectNode record(Schema schema, IndexedRecord record) {
        var object = JSON.objectNode();
        for (var field : schema.getFields()) {
            object.set(field.name(), value(field.schema(), record.get(field.pos())));
        }
        return object;
    }

    private static ArrayNode array(Schema elementType, Collection<?> items) {
        var array = JSON.arrayNode();
        items.forEach(item -> array.add(value(elementType, item)));
        return array;
    }

    private static ObjectNode map(Schema valueType, Map<?, ?> entries) {
        var object = JSON.objectNode();
        entries.forEach((k, v) -> object.set(k.toString(), value(valueType, v)));
        return object;
    }

    /** The non-null branch that fits the value; the project's unions are all [null, X]. */
    private static Schema branch(Schema union, Object value) {
        Schema fallback = null;
        for (var branch : union.getTypes()) {
            if (branch.getType() == Schema.Type.NULL) {
                continue;
            }
            if (fits(branch, value)) {
                return branch;
            }
            if (fallback == null) {
                fallback = branch;
            }
        }
        return fallback != null ? fallback : union.getTypes().get(0);
    }

    private static boolean fits(Schema schema, Object value) {
        return switch (schema.getType()) {
            case RECORD -> value instanceof IndexedRecord r && r.getSchema().getFullName().equals(schema.getFullName());
            case STRING, ENUM -> value instanceof CharSequence || value instanceof Enum<?>;
            case INT, LONG, FLOAT, DOUBLE -> value instanceof Number || value instanceof Instant;
            case BOOLEAN -> value instanceof Boolean;
            case ARRAY -> value instanceof Collection<?>;
            case MAP -> value instanceof Map<?, ?>;
            case BYTES -> value instanceof ByteBuffer;
            case FIXED -> value instanceof GenericFixed;
            case NULL, UNION -> false;
        };
    }

    private static boolean isTimestamp(Schema schema) {
        var logical = schema.getLogicalType();
        return logical instanceof LogicalTypes.TimestampMillis || logical instanceof LogicalTypes.LocalTimestampMillis;
    }

    private static JsonNode timestamp(Object value) {
        var instant = value instanceof Instant i ? i : Instant.ofEpochMilli(((Number) value).longValue());
        return JSON.textNode(instant.toString());
    }

    private static JsonNode number(Number number) {
        if (number instanceof Double d && (d.isNaN() || d.isInfinite())
                || number instanceof Float f && (f.isNaN() || f.isInfinite())) {
            return JSON.nullNode(); // JSON has no NaN or Infinity
        }
        if (number instanceof Double || number instanceof Float) {
            return JSON.numberNode(number.doubleValue());
        }
        if (number instanceof Integer || number instanceof Short || number instanceof Byte) {
            return JSON.numberNode(number.intValue());
        }
        return JSON.numberNode(number.longValue());
    }

    private static byte[] bytes(ByteBuffer buffer) {
        var copy = buffer.duplicate();
        var out = new byte[copy.remaining()];
        copy.get(out);
        return out;
    }
}
