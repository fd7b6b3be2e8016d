package io.breachwatch.serde;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.breachwatch.schema.AccessEvent;
import org.apache.avro.LogicalTypes;
import org.apache.avro.Schema;
import org.apache.avro.specific.SpecificData;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/**
 * The byte vectors that Confluent's own JavaScript client wrote for AccessEvent values
 * ({@code src/test/resources/confluent-vectors/}, made by {@code make-vectors.mjs}).
 */
record ConfluentVectors(String topic, String subject, int schemaId, List<Vector> vectors) {
    static final String RESOURCE = "/confluent-vectors/access-event-vectors.json";

    /** One value and the wire-format bytes Confluent wrote for it. */
    record Vector(String name, AccessEvent value, byte[] bytes) {
        @Override
        public String toString() {
            return name;
        }
    }

    static ConfluentVectors load() {
        try (var in = ConfluentVectors.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException("test resource " + RESOURCE + " is missing");
            }
            var root = new ObjectMapper().readTree(in);
            var vectors = new ArrayList<Vector>();
            for (var v : root.get("vectors")) {
                vectors.add(new Vector(v.get("name").asText(), toAccessEvent(v.get("value")),
                        HexFormat.of().parseHex(v.get("hex").asText())));
            }
            return new ConfluentVectors(root.get("topic").asText(), root.get("subject").asText(),
                    root.get("schemaId").asInt(), List.copyOf(vectors));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The value as the JS client was given it: unions unwrapped, enums as symbols, timestamp-millis as epoch millis. */
    static AccessEvent toAccessEvent(JsonNode value) {
        var event = new AccessEvent();
        for (var field : AccessEvent.getClassSchema().getFields()) {
            var node = value.get(field.name());
            if (node == null) {
                throw new IllegalArgumentException("vector value lacks field " + field.name());
            }
            event.put(field.pos(), fromJson(field.schema(), node));
        }
        return event;
    }

    private static Object fromJson(Schema schema, JsonNode node) {
        return switch (schema.getType()) {
            case NULL -> null;
            case UNION -> node.isNull() ? null : fromJson(nonNullBranch(schema), node);
            case STRING -> node.textValue();
            case LONG -> schema.getLogicalType() instanceof LogicalTypes.TimestampMillis
                    ? Instant.ofEpochMilli(node.longValue()) : (Object) node.longValue();
            case DOUBLE -> node.doubleValue();
            case ENUM -> SpecificData.get().createEnum(node.textValue(), schema);
            case ARRAY -> {
                var list = new ArrayList<Object>();
                node.forEach(item -> list.add(fromJson(schema.getElementType(), item)));
                yield list;
            }
            default -> throw new IllegalArgumentException("no JSON mapping for Avro type " + schema.getType());
        };
    }

    private static Schema nonNullBranch(Schema union) {
        return union.getTypes().stream().filter(s -> s.getType() != Schema.Type.NULL).findFirst().orElseThrow();
    }
}
