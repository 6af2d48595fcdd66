/**
 * `@vltava/kafkajs`, the KafkaJS API on Vltava, driven by the same code as the kafkajs row (`kafkajsApiDriver`: the
 * same calls, options and array sizes). The difference to the kafkajs row is what changing the import buys; the
 * difference to the Vltava row is what the KafkaJS API costs over the native one. Every codec is built in: nothing is
 * registered.
 */
import * as facade from '../../../packages/kafkajs/src/index.js';
import type { ClientDriver } from './driver.js';
import { type KafkajsApi, kafkajsApiDriver } from './kafkajs.js';
import { nativeLz4For } from './vltava.js';

/** The driver. */
export async function load(peerDir: string): Promise<ClientDriver> {
  const lz4 = await nativeLz4For(peerDir);
  // The facade's types are KafkaJS's (checked in packages/kafkajs/src/upstream-types.test.ts).
  const api: KafkajsApi = facade;
  return kafkajsApiDriver(api, 'bench-vltava-kafkajs', {
    produce: `${lz4}; facade defaults (lingerMs 0, batchSize 262144)`,
    consume: 'eachBatch, defaults (maxBatchSize 5000, maxBytesPerPartition 1 MiB, maxBytes 10 MiB)',
  });
}
