package io.breachwatch.serde;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.breachwatch.schema.AccessEvent;
import io.breachwatch.schema.Incident;
import org.apache.avro.LogicalTypes;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericEnumSymbol;
import org.apache.avro.generic.GenericFixed;
import org.apache.avro.generic.IndexedRecord;
import org.apache.avro.specific.SpecificData;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The JSON-lines form of the Avro contract (DESIGN.md): one object per line, field names as in the schema,
 * enums as strings. {@code replay} reads it and {@code generate} writes it.
 *
 * <p>Reading: timestamps as epoch millis or ISO-8601; absent or null fields take the schema default (null for
 * optional ones); unknown fields are ignored (a newer producer may send more); a required field missing or a
 * value of the wrong type is a {@link LineException} naming the field. Writing: timestamps as epoch millis,
 * null fields left out. Incidents (and any other record, {@link #toTree(IndexedRecord)}) render with every field
 * and timestamps as ISO-8601 (UTC), for people: the one renderer behind {@code replay}, the HTTP API and OCSF.
 */
public final class JsonEvents {
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;
    private static final JsonFactory FACTORY = MAPPER.getFactory();
    private static final Schema EVENT_SCHEMA = AccessEvent.getClassSchema();
    private static final SpecificData DATA = SpecificData.get();
    /** Each field by name, with the schema its non-null values have: looked up once, not per line and field. */
    private static final Map<String, EventField> EVENT_FIELDS = EVENT_SCHEMA.getFields().stream()
            .collect(Collectors.toUnmodifiableMap(Schema.Field::name, f -> new EventField(f.pos(), nonNull(f.schema()))));

    private record EventField(int pos, Schema valueSchema) {
    }

    private JsonEvents() {
    }

    /** A line that is not a valid AccessEvent; the message names the field and what is wrong. */
    public static final class LineException extends IllegalArgumentException {
        public LineException(String message) {
            super(message);
        }
    }

    // ---------------------------------------------------------------- reading

    /** Parses one JSON line into an AccessEvent with defaults applied. */
    public static AccessEvent parseEvent(String line) {
        if (line == null || line.isBlank()) {
            throw new LineException("empty line");
        }
        try (JsonParser parser = FACTORY.createParser(line)) {
            if (parser.nextToken() != JsonToken.START_OBJECT) {
                throw new LineException("not a JSON object");
            }
            var values = new Object[EVENT_SCHEMA.getFields().size()];
            var seen = new boolean[values.length];
            for (var token = parser.nextToken(); token != JsonToken.END_OBJECT; token = parser.nextToken()) {
                var name = parser.currentName();
                parser.nextToken();
                var field = EVENT_FIELDS.get(name);
                if (field == null) {
                    parser.skipChildren();
                    continue;
                }
                values[field.pos()] = readValue(parser, name, field.valueSchema());
                seen[field.pos()] = values[field.pos()] != null;
            }
            if (parser.nextToken() != null) {
                throw new LineException("unexpected content after the JSON object");
            }
            return build(values, seen);
        } catch (JsonProcessingException e) {
            throw new LineException("malformed JSON: " + e.getOriginalMessage());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static AccessEvent build(Object[] values, boolean[] seen) {
        var event = new AccessEvent();
        for (var field : EVENT_SCHEMA.getFields()) {
            int pos = field.pos();
            if (seen[pos]) {
                event.put(pos, values[pos]);
            } else if (field.hasDefaultValue()) {
                event.put(pos, DATA.deepCopy(field.schema(), DATA.getDefaultValue(field)));
            } else {
                throw new LineException("missing required field '" + field.name() + "'");
            }
        }
        return event;
    }

    private static Object readValue(JsonParser p, String name, Schema schema) throws IOException {
        var token = p.currentToken();
        if (token == JsonToken.VALUE_NULL) {
            return null;
        }
        return switch (schema.getType()) {
            case STRING -> scalarText(p, name);
            case LONG -> schema.getLogicalType() instanceof LogicalTypes.TimestampMillis ? readInstant(p, name) : readLong(p, name);
            case DOUBLE -> {
                if (!token.isNumeric()) {
                    throw new LineException("field '" + name + "': expected a number, got " + describe(p));
                }
                yield p.getDoubleValue();
            }
            case ENUM -> readEnum(p, name, schema);
            case ARRAY -> readStringArray(p, name);
            default -> throw new IllegalStateException("AccessEvent field '" + name + "' has unsupported type " + schema.getType());
        };
    }

    private static String scalarText(JsonParser p, String name) throws IOException {
        var token = p.currentToken();
        if (token == JsonToken.VALUE_STRING || token.isNumeric() || token.isBoolean()) {
            return p.getText();
        }
        throw new LineException("field '" + name + "': expected a string, got " + describe(p));
    }

    private static long readLong(JsonParser p, String name) throws IOException {
        if (p.currentToken() == JsonToken.VALUE_NUMBER_INT) {
            return p.getLongValue();
        }
        if (p.currentToken() == JsonToken.VALUE_STRING) {
            try {
                return Long.parseLong(p.getText().trim());
            } catch (NumberFormatException e) {
                // fall through to the error below
            }
        }
        throw new LineException("field '" + name + "': expected an integer, got " + describe(p));
    }

    private static Instant readInstant(JsonParser p, String name) throws IOException {
        if (p.currentToken() == JsonToken.VALUE_NUMBER_INT) {
            return Instant.ofEpochMilli(p.getLongValue());
        }
        if (p.currentToken() == JsonToken.VALUE_STRING) {
            var text = p.getText().trim();
            try {
                return text.chars().allMatch(Character::isDigit) && !text.isEmpty()
                        ? Instant.ofEpochMilli(Long.parseLong(text))
                        : OffsetDateTime.parse(text).toInstant();
            } catch (DateTimeParseException | NumberFormatException e) {
                // fall through to the error below
            }
        }
        throw new LineException("field '" + name + "': expected epoch millis or an ISO-8601 time with offset "
                + "(2025-03-01T09:30:00Z), got " + describe(p));
    }

    private static Object readEnum(JsonParser p, String name, Schema schema) throws IOException {
        if (p.currentToken() == JsonToken.VALUE_STRING) {
            var symbol = p.getText().trim().toUpperCase(Locale.ROOT);
            if (schema.hasEnumSymbol(symbol)) {
                return DATA.createEnum(symbol, schema);
            }
        }
        throw new LineException("field '" + name + "': " + describe(p) + " is not one of " + String.join(", ", schema.getEnumSymbols()));
    }

    private static List<String> readStringArray(JsonParser p, String name) throws IOException {
        if (p.currentToken() != JsonToken.START_ARRAY) {
            throw new LineException("field '" + name + "': expected an array of strings, got " + describe(p));
        }
        var out = new ArrayList<String>();
        while (p.nextToken() != JsonToken.END_ARRAY) {
            out.add(scalarText(p, name));
        }
        return out;
    }

    private static String describe(JsonParser p) throws IOException {
        var token = p.currentToken();
        if (token == JsonToken.START_OBJECT) {
            return "an object";
        }
        if (token == JsonToken.START_ARRAY) {
            return "an array";
        }
        var text = p.getText();
        return "'" + (text.length() > 40 ? text.substring(0, 40) + "..." : text) + "'";
    }

    private static Schema nonNull(Schema schema) {
        if (schema.getType() != Schema.Type.UNION) {
            return schema;
        }
        for (var type : schema.getTypes()) {
            if (type.getType() != Schema.Type.NULL) {
                return type;
            }
        }
        return schema;
    }

    // ---------------------------------------------------------------- writing

    /** One JSON line (no newline) for the event: timestamps as epoch millis, null fields left out. */
    public static String toJson(AccessEvent event) {
        return text(render(event, Style.COMPACT));
    }

    /** The incident as one JSON object (no newline): every field, timestamps as ISO-8601 UTC. */
    public static String toJson(Incident incident) {
        return text(toTree(incident));
    }

    /**
     * Any Avro record (specific or generic: incidents, obligations, store values) as a Jackson tree for people and
     * other formats (HTTP, OCSF): field names as in the schema, every field (null as JSON null), enums as their
     * symbol, timestamp-millis as ISO-8601 UTC text, NaN and infinities as null (JSON has none). Not the Avro JSON
     * encoding, which wraps union values in a type object.
     */
    public static ObjectNode toTree(IndexedRecord record) {
        return render(record, Style.FULL);
    }

    /** How a record is written: the JSON-lines form of events, or the full form of incidents. */
    private enum Style {
        COMPACT(false, false), FULL(true, true);

        final boolean withNulls;
        final boolean isoTimes;

        Style(boolean withNulls, boolean isoTimes) {
            this.withNulls = withNulls;
            this.isoTimes = isoTimes;
        }
    }

    private static String text(ObjectNode tree) {
        try {
            return MAPPER.writeValueAsString(tree);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write JSON", e);
        }
    }

    private static ObjectNode render(IndexedRecord record, Style style) {
        var object = JSON.objectNode();
        for (var field : record.getSchema().getFields()) {
            var value = record.get(field.pos());
            if (value != null || style.withNulls) {
                object.set(field.name(), value(field.schema(), value, style));
            }
        }
        return object;
    }

    private static JsonNode value(Schema schema, Object value, Style style) {
        if (value == null) {
            return JSON.nullNode();
        }
        return switch (schema.getType()) {
            case RECORD -> render((IndexedRecord) value, style);
            case UNION -> value(branch(schema, value), value, style);
            case ARRAY -> {
                var array = JSON.arrayNode();
                ((Collection<?>) value).forEach(item -> array.add(value(schema.getElementType(), item, style)));
                yield array;
            }
            case MAP -> {
                var object = JSON.objectNode();
                ((Map<?, ?>) value).forEach((k, v) -> object.set(k.toString(), value(schema.getValueType(), v, style)));
                yield object;
            }
            case ENUM, STRING -> JSON.textNode(value.toString());
            case INT, LONG -> value instanceof Instant || isTimestamp(schema) ? timestamp(value, style) : number((Number) value);
            case FLOAT, DOUBLE -> number((Number) value);
            case BOOLEAN -> JSON.booleanNode((Boolean) value);
            case BYTES -> JSON.textNode(Base64.getEncoder().encodeToString(bytes((ByteBuffer) value)));
            case FIXED -> JSON.textNode(Base64.getEncoder().encodeToString(((GenericFixed) value).bytes()));
            case NULL -> JSON.nullNode();
        };
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
            case STRING, ENUM -> value instanceof CharSequence || value instanceof Enum<?> || value instanceof GenericEnumSymbol<?>;
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

    private static JsonNode timestamp(Object value, Style style) {
        var instant = value instanceof Instant i ? i : Instant.ofEpochMilli(((Number) value).longValue());
        return style.isoTimes ? JSON.textNode(instant.toString()) : JSON.numberNode(instant.toEpochMilli());
    }

    /** A number as JSON; NaN and infinities (which JSON lacks) as null. */
    public static JsonNode number(Number number) {
        if (number instanceof Double d && (d.isNaN() || d.isInfinite())
                || number instanceof Float f && (f.isNaN() || f.isInfinite())) {
            return JSON.nullNode();
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
