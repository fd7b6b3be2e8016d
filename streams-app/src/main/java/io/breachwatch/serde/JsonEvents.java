package io.breachwatch.serde;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.breachwatch.schema.AccessEvent;
import io.breachwatch.schema.Incident;
import org.apache.avro.LogicalTypes;
import org.apache.avro.Schema;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificRecord;

import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
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
 * null fields left out. Incidents render with every field and timestamps as ISO-8601 (UTC), for people.
 */
public final class JsonEvents {
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final JsonFactory FACTORY = MAPPER.getFactory();
    private static final Schema EVENT_SCHEMA = AccessEvent.getClassSchema();
    private static final SpecificData DATA = SpecificData.get();
    private static final Map<String, Schema.Field> EVENT_FIELDS = EVENT_SCHEMA.getFields().stream()
            .collect(Collectors.toUnmodifiableMap(Schema.Field::name, f -> f));

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
                values[field.pos()] = readValue(parser, field.name(), nonNull(field.schema()));
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
        return schema.getTypes().stream().filter(s -> s.getType() != Schema.Type.NULL).findFirst().orElse(schema);
    }

    // ---------------------------------------------------------------- writing

    /** One JSON line (no newline) for the event: timestamps as epoch millis, null fields left out. */
    public static String toJson(AccessEvent event) {
        return write(event, false, false);
    }

    /** The incident as one JSON object (no newline): every field, timestamps as ISO-8601 UTC. */
    public static String toJson(Incident incident) {
        return write(incident, true, true);
    }

    /** The incident as a Jackson tree, for callers that add to it (HTTP, OCSF). */
    public static ObjectNode toTree(Incident incident) {
        try {
            return (ObjectNode) MAPPER.readTree(toJson(incident));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot re-read incident JSON", e);
        }
    }

    private static String write(SpecificRecord record, boolean withNulls, boolean isoTimes) {
        var out = new StringWriter(512);
        try (JsonGenerator g = FACTORY.createGenerator(out)) {
            writeRecord(g, record, withNulls, isoTimes);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toString();
    }

    private static void writeRecord(JsonGenerator g, SpecificRecord record, boolean withNulls, boolean isoTimes) throws IOException {
        g.writeStartObject();
        for (var field : record.getSchema().getFields()) {
            var value = record.get(field.pos());
            if (value == null && !withNulls) {
                continue;
            }
            g.writeFieldName(field.name());
            writeValue(g, nonNull(field.schema()), value, withNulls, isoTimes);
        }
        g.writeEndObject();
    }

    private static void writeValue(JsonGenerator g, Schema schema, Object value, boolean withNulls, boolean isoTimes) throws IOException {
        if (value == null) {
            g.writeNull();
            return;
        }
        switch (schema.getType()) {
            case RECORD -> writeRecord(g, (SpecificRecord) value, withNulls, isoTimes);
            case ARRAY -> {
                g.writeStartArray();
                for (var item : (Collection<?>) value) {
                    writeValue(g, nonNull(schema.getElementType()), item, withNulls, isoTimes);
                }
                g.writeEndArray();
            }
            case MAP -> {
                g.writeStartObject();
                for (var entry : ((Map<?, ?>) value).entrySet()) {
                    g.writeFieldName(entry.getKey().toString());
                    writeValue(g, nonNull(schema.getValueType()), entry.getValue(), withNulls, isoTimes);
                }
                g.writeEndObject();
            }
            case LONG -> {
                if (value instanceof Instant instant) {
                    if (isoTimes) {
                        g.writeString(instant.toString());
                    } else {
                        g.writeNumber(instant.toEpochMilli());
                    }
                } else {
                    g.writeNumber(((Number) value).longValue());
                }
            }
            case INT -> g.writeNumber(((Number) value).intValue());
            case DOUBLE, FLOAT -> g.writeNumber(((Number) value).doubleValue());
            case BOOLEAN -> g.writeBoolean((Boolean) value);
            default -> g.writeString(value.toString());
        }
    }
}
