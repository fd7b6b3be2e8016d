package io.breachwatch.topology;

import io.breachwatch.schema.AccessEvent;
import io.breachwatch.serde.AvroSerializer;
import io.breachwatch.serde.SchemaRegistryClient;
import io.breachwatch.serde.WireFormat;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.generic.GenericDatumWriter;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.io.EncoderFactory;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;

/**
 * Bad input of every kind the decode step must dead-letter, each with the reason it must give. Built from one valid
 * template event, so every pill differs from good traffic in exactly one way. Shared by the driver test and the IT.
 */
public final class PoisonPills {
    /** One bad record: what it is, its value bytes (null for a tombstone) and the dead-letter reason expected. */
    public record Pill(String kind, byte[] value, DeadLetterReason reason) {
        public byte[] key() {
            return ("pill/" + kind).getBytes(StandardCharsets.UTF_8);
        }
    }

    private final SchemaRegistryClient registry;
    private final AvroSerializer<AccessEvent> serializer;
    private final String topic;

    public PoisonPills(SchemaRegistryClient registry, String topic) {
        this.registry = registry;
        this.topic = topic;
        this.serializer = new AvroSerializer<>(registry, AccessEvent.getClassSchema(), false);
    }

    /** Every kind; {@code template} is a valid event, {@code now} the wall clock the validator compares with. */
    public List<Pill> all(AccessEvent template, Instant now) {
        var valid = encode(template);
        var pills = new ArrayList<Pill>();
        pills.add(new Pill("null-value", null, DeadLetterReason.NULL_VALUE));
        pills.add(new Pill("empty-value", new byte[0], DeadLetterReason.EMPTY_VALUE));
        pills.add(new Pill("json-text", "{\"event_id\":\"e-1\",\"user_id\":\"u-1\"}".getBytes(StandardCharsets.UTF_8), DeadLetterReason.NOT_WIRE_FORMAT));
        pills.add(new Pill("too-short", new byte[]{0, 0, 1}, DeadLetterReason.NOT_WIRE_FORMAT));
        pills.add(new Pill("wrong-magic-byte", withByte(valid, 0, (byte) 1), DeadLetterReason.NOT_WIRE_FORMAT));
        pills.add(new Pill("unknown-schema-id", withSchemaId(valid, 0x7f_00_00_01), DeadLetterReason.UNKNOWN_SCHEMA));
        pills.add(new Pill("corrupt-bytes", concat(Arrays.copyOf(valid, WireFormat.HEADER_SIZE), new byte[]{(byte) 0xff, (byte) 0xfe, 7, 1, 2}), DeadLetterReason.CORRUPT_AVRO));
        pills.add(new Pill("truncated-avro", Arrays.copyOf(valid, valid.length - 3), DeadLetterReason.CORRUPT_AVRO));
        pills.add(new Pill("trailing-garbage", concat(valid, new byte[]{42, 42, 42}), DeadLetterReason.CORRUPT_AVRO));
        pills.add(new Pill("other-record-type", otherRecordType(), DeadLetterReason.INCOMPATIBLE_SCHEMA));
        pills.add(new Pill("required-field-missing", withoutUserId(template), DeadLetterReason.INCOMPATIBLE_SCHEMA));
        pills.add(new Pill("enum-of-other-name", withRenamedActionEnum(valid), DeadLetterReason.INCOMPATIBLE_SCHEMA));
        pills.add(pill("empty-event-id", AccessEvent.newBuilder(template).setEventId("").build(), DeadLetterReason.MISSING_FIELD));
        pills.add(pill("empty-tenant-id", AccessEvent.newBuilder(template).setTenantId("").build(), DeadLetterReason.MISSING_FIELD));
        pills.add(pill("blank-user-id", AccessEvent.newBuilder(template).setUserId("  ").build(), DeadLetterReason.MISSING_FIELD));
        pills.add(pill("negative-record-count", AccessEvent.newBuilder(template).setRecordCount(-5).build(), DeadLetterReason.NEGATIVE_COUNT));
        pills.add(pill("negative-bytes", AccessEvent.newBuilder(template).setBytes(-1L).build(), DeadLetterReason.NEGATIVE_COUNT));
        pills.add(pill("far-future-timestamp", AccessEvent.newBuilder(template).setTimestamp(now.plus(Duration.ofDays(2))).build(), DeadLetterReason.INVALID_TIMESTAMP));
        pills.add(pill("ancient-timestamp", AccessEvent.newBuilder(template).setTimestamp(now.minus(Duration.ofDays(500))).build(), DeadLetterReason.INVALID_TIMESTAMP));
        pills.add(pill("epoch-0-timestamp", AccessEvent.newBuilder(template).setTimestamp(Instant.EPOCH).build(), DeadLetterReason.INVALID_TIMESTAMP));
        pills.add(pill("negative-timestamp", AccessEvent.newBuilder(template).setTimestamp(Instant.ofEpochMilli(-86_400_000L)).build(), DeadLetterReason.INVALID_TIMESTAMP));
        pills.add(pill("huge-string", AccessEvent.newBuilder(template).setUserAgent("x".repeat(5_000)).build(), DeadLetterReason.OVERSIZED));
        pills.add(pill("huge-field-entry", AccessEvent.newBuilder(template).setFields(List.of("name", "y".repeat(5_000))).build(), DeadLetterReason.OVERSIZED));
        pills.add(pill("too-many-fields", AccessEvent.newBuilder(template).setFields(Collections.nCopies(600, "name")).build(), DeadLetterReason.OVERSIZED));
        return List.copyOf(pills);
    }

    /**
     * A valid event whose writer schema's Action enum has an extra symbol and no default, carrying that symbol. It
     * is not a poison pill: the reader's Action declares default OTHER, so Avro resolves the symbol to OTHER.
     */
    public byte[] unknownActionSymbol(AccessEvent template) {
        var json = AccessEvent.getClassSchema().toString()
                .replace("\"OTHER\"],\"default\":\"OTHER\"}", "\"OTHER\",\"EXFILTRATE\"]}");
        if (json.equals(AccessEvent.getClassSchema().toString())) {
            throw new IllegalStateException("the Action enum of AccessEvent.avsc no longer ends with OTHER and default OTHER");
        }
        var writer = new Schema.Parser().parse(json);
        var record = asGeneric(template, writer);
        record.put("action", new GenericData.EnumSymbol(writer.getField("action").schema(), "EXFILTRATE"));
        return write(writer, record);
    }

    public byte[] encode(AccessEvent event) {
        return serializer.serialize(topic, event);
    }

    private Pill pill(String kind, AccessEvent event, DeadLetterReason reason) {
        return new Pill(kind, encode(event), reason);
    }

    private byte[] otherRecordType() {
        var writer = new Schema.Parser().parse("""
                {"type": "record", "name": "Heartbeat", "namespace": "io.breachwatch.schema",
                 "fields": [{"name": "source", "type": "string"}, {"name": "at", "type": "long"}]}""");
        var record = new GenericData.Record(writer);
        record.put("source", "crm-7");
        record.put("at", 1L);
        return write(writer, record);
    }

    private byte[] withoutUserId(AccessEvent template) {
        var json = AccessEvent.getClassSchema().toString();
        var userId = json.indexOf("{\"name\":\"user_id\"");
        var next = json.indexOf("{\"name\":\"user_role\"");
        var writer = new Schema.Parser().parse(json.substring(0, userId) + json.substring(next));
        return write(writer, asGeneric(template, writer));
    }

    /** The same body under a schema whose Action enum is named Verb: names of named types must match. */
    private byte[] withRenamedActionEnum(byte[] valid) {
        var writer = new Schema.Parser().parse(AccessEvent.getClassSchema().toString().replace("\"name\":\"Action\"", "\"name\":\"Verb\""));
        return withSchemaId(valid, registry.register("poison-pills-value", writer));
    }

    private GenericRecord asGeneric(AccessEvent event, Schema target) {
        var body = Arrays.copyOfRange(encode(event), WireFormat.HEADER_SIZE, encode(event).length);
        try {
            return new GenericDatumReader<GenericRecord>(AccessEvent.getClassSchema(), target)
                    .read(null, DecoderFactory.get().binaryDecoder(body, null));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private byte[] write(Schema writer, GenericRecord record) {
        var out = new ByteArrayOutputStream();
        out.write(WireFormat.MAGIC_BYTE);
        out.writeBytes(ByteBuffer.allocate(Integer.BYTES).putInt(registry.register("poison-pills-value", writer)).array());
        try {
            var encoder = EncoderFactory.get().binaryEncoder(out, null);
            new GenericDatumWriter<GenericRecord>(writer).write(record, encoder);
            encoder.flush();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    private static byte[] withSchemaId(byte[] value, int id) {
        var copy = value.clone();
        ByteBuffer.wrap(copy).putInt(1, id);
        return copy;
    }

    private static byte[] withByte(byte[] value, int index, byte b) {
        var copy = value.clone();
        copy[index] = b;
        return copy;
    }

    private static byte[] concat(byte[] a, byte[] b) {
        var out = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
