// Prints, for each key, the partition Kafka's Java default partitioner picks, as implemented by
// kafkajs's DefaultPartitioner (murmur2, "Java-compatible" since kafkajs 2.0).
// Input (stdin): {"partitionCounts":[n...],"keys":["..."]}  Output: {"<n>":[partition per key]}
'use strict';
const { Partitioners } = require('kafkajs');

const input = JSON.parse(require('fs').readFileSync(0, 'utf8'));
const partitioner = Partitioners.DefaultPartitioner();
const output = {};
for (const count of input.partitionCounts) {
  const partitionMetadata = Array.from({ length: count }, (_, id) => ({ partitionId: id, leader: 0 }));
  output[count] = input.keys.map((key) =>
    partitioner({ topic: 't', partitionMetadata, message: { key: Buffer.from(key, 'utf8'), value: null } }));
}
process.stdout.write(JSON.stringify(output));
