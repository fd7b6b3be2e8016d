package io.breachwatch.serde;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.breachwatch.schema.AccessEvent;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericDatumWriter;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.io.EncoderFactory;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.util.Set;

/** Other versions of the AccessEvent schema, and events written with them, for schema-evolution tests. */
public final class AccessEventVersions {
    /** The fields a v1 writer did not have yet. */
    static final Set<String> LATER_FIELDS = Set.of("fields", "destination", "destination_country", "bytes");

    private AccessEventVersions() {
    }

    /** An older AccessEvent: the current schema without {@link #LATER_FIELDS}. */
    public static Schema v1() {
        var json = currentSchemaJson();
        var fields = (ArrayNode) json.get("fields");
        for (int i = fields.size() - 1; i >= 0; i--) {
            if (LATER_FIELDS.contains(fields.get(i).get("name").asText())) {
                fields.remove(i);
            }
        }
        return new Schema.Parser().parse(json.toString());
    }

    /** A newer AccessEvent whose Action enum has one more symbol. */
    static Schema withActionSymbol(String symbol) {
        var json = currentSchemaJson();
        for (var field : json.get("fields")) {
            if (field.get("name").asText().equals("action")) {
                ((ArrayNode) field.get("type").get("symbols")).add(symbol);
            }
        }
        return new Schema.Parser().parse(json.toString());
    }

    /** A v1 export event by user u-1 of tenant-a: 500 records, at 2026-01-01T00:00:00Z. */
    static GenericRecord v1Export(Schema v1) {
        var event = new GenericData.Record(v1);
        event.put("event_id", "evt-v1");
        event.put("timestamp", 1767225600000L);
        event.put("tenant_id", "tenant-a");
        event.put("user_id", "u-1");
        event.put("user_role", "sales");
        event.put("action", new GenericData.EnumSymbol(v1.getField("action").schema(), "EXPORT"));
        event.put("outcome", new GenericData.EnumSymbol(v1.getField("outcome").schema(), "SUCCESS"));
        event.put("record_count", 500L);
        return event;
    }

    /** {@code record} in the Confluent wire format under {@code schemaId}, written with its own schema. */
    public static byte[] wireFormat(int schemaId, GenericRecord record) {
        try {
            var out = new ByteArrayOutputStream();
            out.write(WireFormat.MAGIC_BYTE);
            out.write(ByteBuffer.allocate(4).putInt(schemaId).array());
            var encoder = EncoderFactory.get().directBinaryEncoder(out, null);
            new GenericDatumWriter<GenericRecord>(record.getSchema()).write(record, encoder);
            encoder.flush();
            return out.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static ObjectNode currentSchemaJson() {
        try {
            return (ObjectNode) new ObjectMapper().readTree(AccessEvent.getClassSchema().toString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
