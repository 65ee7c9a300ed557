// Confluent's own JavaScript Protobuf serde (@confluentinc/schemaregistry), driven by the .NET tests
// to cross-check our wire format and registry usage against an implementation we did not write.
//
// stdin:  { registryUrl, descriptorSet: base64 FileDescriptorSet of the test messages (imports first),
//           serialize: [{ topic, type, payload: base64 plain protobuf }], deserialize: [{ topic, frame: base64 }] }
// stdout: { serialized: [base64 frame], deserialized: [{ type, payload: base64 plain protobuf }] }
// Messages cross as plain protobuf bytes (decoded and re-encoded by @bufbuild/protobuf), so the
// comparison on the .NET side is message equality, field by field.
'use strict';

const { SchemaRegistryClient, SerdeType, ProtobufSerializer, ProtobufDeserializer } = require('@confluentinc/schemaregistry');
const { createFileRegistry, fromBinary, toBinary } = require('@bufbuild/protobuf');
const { FileDescriptorSetSchema } = require('@bufbuild/protobuf/wkt');

async function main() {
  const input = JSON.parse(await readStdin());
  const registry = createFileRegistry(fromBinary(FileDescriptorSetSchema, Buffer.from(input.descriptorSet, 'base64')));
  const client = new SchemaRegistryClient({ baseURLs: [input.registryUrl] });
  const serializer = new ProtobufSerializer(client, SerdeType.VALUE, { autoRegisterSchemas: true, registry });
  const deserializer = new ProtobufDeserializer(client, SerdeType.VALUE, {});

  const serialized = [];
  for (const { topic, type, payload } of input.serialize) {
    const desc = registry.getMessage(type);
    if (desc == null) {
      throw new Error(`message type ${type} is not in the descriptor set`);
    }
    const bytes = await serializer.serialize(topic, fromBinary(desc, Buffer.from(payload, 'base64')));
    serialized.push(bytes.toString('base64'));
  }

  const deserialized = [];
  for (const { topic, frame } of input.deserialize) {
    const message = await deserializer.deserialize(topic, Buffer.from(frame, 'base64'));
    const desc = registry.getMessage(message.$typeName);
    deserialized.push({ type: message.$typeName, payload: Buffer.from(toBinary(desc, message)).toString('base64') });
  }

  process.stdout.write(JSON.stringify({ serialized, deserialized }));
}

function readStdin() {
  return new Promise((resolve, reject) => {
    const chunks = [];
    process.stdin.on('data', (chunk) => chunks.push(chunk));
    process.stdin.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    process.stdin.on('error', reject);
  });
}

main().catch((error) => {
  process.stderr.write(`${error.stack ?? error}\n`);
  process.exit(1);
});
