// Makes access-event-vectors.json: AccessEvent values serialized by Confluent's own JavaScript client
// (@confluentinc/schemaregistry, its MockClient: no server). ConfluentVectorsTest pins the Java serde to them.
//
//   npm install && node make-vectors.mjs      (Node 18+; the Java build never runs this)
//
// The schema is schemas/src/main/avro/AccessEvent.avsc, registered explicitly. The serializer is told to use
// that registered id (useSchemaId): with autoRegisterSchemas and no schema id, the client would infer a schema
// from the value (AvroSerializer.messageToSchema) instead of using ours.
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { createRequire } from 'node:module';
import { MockClient, AvroSerializer, AvroDeserializer, SerdeType } from '@confluentinc/schemaregistry';

const here = (p) => fileURLToPath(new URL(p, import.meta.url));
const schemaFile = '../../../../../schemas/src/main/avro/AccessEvent.avsc';
const schemaText = readFileSync(here(schemaFile), 'utf8');
const topic = 'crm.access-events';
const subject = `${topic}-value`;
const clientVersion = createRequire(import.meta.url)('@confluentinc/schemaregistry/package.json').version;

// timestamp-millis: avsc (the client's Avro library) has no logical-type implementation registered by default,
// so the field is its underlying long and the value is epoch milliseconds as a number.
const vectors = [
  {
    name: 'required-only',
    description: 'every optional field null, record_count/fields/action/outcome at their defaults',
    value: {
      event_id: 'evt-0001',
      timestamp: 1767225600000, // 2026-01-01T00:00:00Z
      tenant_id: 'tenant-a',
      user_id: 'u-1001',
      user_role: null,
      session_id: null,
      source_ip: null,
      country: null,
      latitude: null,
      longitude: null,
      user_agent: null,
      action: 'OTHER',
      outcome: 'SUCCESS',
      object_type: null,
      record_id: null,
      customer_id: null,
      record_count: 1,
      fields: [],
      destination: null,
      destination_country: null,
      bytes: null,
    },
  },
  {
    name: 'all-set',
    description: 'every field set: unions on their non-null branch, non-default enums, array, doubles, a long past 2^32',
    value: {
      event_id: 'evt-0002-\u5bfc\u51fa', // non-ASCII to pin UTF-8 length prefixes
      timestamp: 1767268800123, // 2026-01-01T12:00:00.123Z
      tenant_id: 'tenant-b',
      user_id: 'u-2002',
      user_role: 'sales',
      session_id: 'sess-77',
      source_ip: '203.0.113.7',
      country: 'CN',
      latitude: 31.2304,
      longitude: -121.4737,
      user_agent: 'Mozilla/5.0 (X11; Linux x86_64)',
      action: 'EXPORT',
      outcome: 'DENIED',
      object_type: 'Contact',
      record_id: 'rep-42',
      customer_id: 'c-9',
      record_count: 250000,
      fields: ['name', 'mobile', 'id_card_number', 'bank_account'],
      destination: 'email:example.org',
      destination_country: 'US',
      bytes: 5368709120,
    },
  },
  {
    name: 'negative-and-edge',
    description: 'zig-zag edge cases: negative timestamp (before 1970), record_count 0, bytes 0, a single-element array, first enum symbols',
    value: {
      event_id: '',
      timestamp: -1000,
      tenant_id: 't',
      user_id: 'u',
      user_role: 'admin',
      session_id: null,
      source_ip: '2001:db8::1',
      country: null,
      latitude: 0.0,
      longitude: null,
      user_agent: null,
      action: 'LOGIN',
      outcome: 'FAILED',
      object_type: null,
      record_id: null,
      customer_id: null,
      record_count: 0,
      fields: ['email'],
      destination: null,
      destination_country: null,
      bytes: 0,
    },
  },
];

const client = new MockClient({ baseURLs: ['mock://'] });
const schemaId = await client.register(subject, { schemaType: 'AVRO', schema: schemaText });
const serializer = new AvroSerializer(client, SerdeType.VALUE, { autoRegisterSchemas: false, useSchemaId: schemaId });
const deserializer = new AvroDeserializer(client, SerdeType.VALUE, {});

const out = [];
for (const v of vectors) {
  const bytes = await serializer.serialize(topic, structuredClone(v.value));
  const back = await deserializer.deserialize(topic, bytes);
  if (JSON.stringify(back) !== JSON.stringify(v.value)) {
    throw new Error(`${v.name}: Confluent's own round trip changed the value: ${JSON.stringify(back)}`);
  }
  out.push({ ...v, hex: bytes.toString('hex') });
}

const file = {
  generator: `@confluentinc/schemaregistry ${clientVersion} AvroSerializer + MockClient (make-vectors.mjs)`,
  node: process.version,
  schemaFile: 'schemas/src/main/avro/AccessEvent.avsc',
  topic,
  subject,
  schemaId,
  notes: 'value: the input as given to the JS client (unions unwrapped, enums as symbols, timestamp as epoch millis); hex: the Confluent wire-format bytes it wrote',
  vectors: out,
};
writeFileSync(here('./access-event-vectors.json'), JSON.stringify(file, null, 2) + '\n');
console.log(`wrote ${out.length} vectors with schema id ${schemaId}`);
