/** What the smoke app prints as its last line: what it sent, what it read back, how unavailable codecs failed. */
export interface SmokeResult {
  readonly node: string;
  /** Records acknowledged by the broker. */
  readonly sent: number;
  /** Distinct records read back by a consumer group. */
  readonly received: number;
  /** Acknowledged records that were not read back. */
  readonly missing: number;
  /** Whether the package started worker threads (the zstd compression workers). */
  readonly compressionWorkers: boolean;
  /** For each codec expected to be unavailable: the error codes its sends failed with, and how many failed. */
  readonly unavailable: Record<string, { readonly codes: string[]; readonly failed: number }>;
  /** Exports found on @vltava/rx and @vltava/streams, loaded beside the installed core (their peer). */
  readonly layers: { readonly rx: boolean; readonly streams: boolean };
}

/**
 * The program an installed app runs, in either module system: create a topic, send records in every codec (zstd
 * also in batches large enough for the compression worker threads), read them all back, and for a codec this
 * install lacks check that each of its sends fails on its own with `CodecUnavailableError` while the other codecs
 * go through. Arguments: brokers, topic, codecs (JSON), records per codec, codecs expected unavailable (JSON).
 */
export function smokeApp(moduleSystem: 'esm' | 'cjs'): string {
  const load =
    moduleSystem === 'esm'
      ? `import { Admin, CodecUnavailableError, Consumer, Producer } from '@vltava/core';
import * as rx from '@vltava/rx';
import * as streams from '@vltava/streams';
import nodeModule from 'node:module';`
      : `const { Admin, CodecUnavailableError, Consumer, Producer } = require('@vltava/core');
const rx = require('@vltava/rx');
const streams = require('@vltava/streams');
const nodeModule = require('node:module');`;
  return `${load}
const [brokers, topic, codecsJson, perCodec, unavailableJson] = process.argv.slice(2);
const codecs = JSON.parse(codecsJson);
const expectedUnavailable = new Set(JSON.parse(unavailableJson));
// Counts the worker threads the package starts (its zstd compression workers), in either module system.
const workerThreads = nodeModule.createRequire(process.cwd() + '/')('node:worker_threads');
let workersStarted = 0;
const BaseWorker = workerThreads.Worker;
workerThreads.Worker = class extends BaseWorker {
  constructor(...args) {
    super(...args);
    workersStarted++;
  }
};
nodeModule.syncBuiltinESMExports();
const largeValue = (compression, i) => compression + '-large-' + i + ':' + '{"status":"shipped"}'.repeat(200);
/** Settles every send, or names the ones still pending after 60 s (a hang is a failure too). */
async function settle(sends) {
  let timer;
  const deadline = new Promise((resolve) => { timer = setTimeout(() => resolve('hung'), 60000); });
  const outcome = await Promise.race([Promise.allSettled(sends), deadline]);
  clearTimeout(timer);
  if (outcome === 'hung') throw new Error('sends neither resolved nor rejected within 60 s');
  return outcome;
}
async function main() {
  const admin = new Admin({ brokers: [brokers], logLevel: 'error' });
  const [created] = await admin.createTopics([{ topic, numPartitions: 2, replicationFactor: 1 }], { waitForMetadata: true });
  if (created.error) throw created.error;
  await admin.close();
  let sent = 0;
  const expected = [];
  const unavailable = {};
  for (const compression of codecs) {
    const batches = [{ value: (i) => compression + '-value-' + i, options: {} }];
    // Batches of 32 KiB and more compress on the worker threads.
    if (compression === 'zstd') batches.push({ value: (i) => largeValue(compression, i), options: { batchSize: 262144, lingerMs: 20 } });
    for (const { value, options } of batches) {
      const producer = new Producer({ brokers: [brokers], compression, logLevel: 'error', ...options });
      const outcomes = await settle(
        Array.from({ length: Number(perCodec) }, (_, i) => producer.send({ topic, key: compression + '-' + i, value: value(i) })),
      );
      await producer.close();
      const failed = outcomes.filter((o) => o.status === 'rejected').map((o) => o.reason);
      if (expectedUnavailable.has(compression)) {
        const codes = [...new Set(failed.map((e) => (e instanceof CodecUnavailableError ? e.code : String(e))))];
        const previous = unavailable[compression] ?? { codes: [], failed: 0 };
        unavailable[compression] = { codes: [...new Set([...previous.codes, ...codes])], failed: previous.failed + failed.length };
        continue;
      }
      if (failed.length > 0) throw failed[0];
      sent += outcomes.length;
      for (let i = 0; i < Number(perCodec); i++) expected.push(value(i));
    }
  }
  const consumer = new Consumer({ brokers: [brokers], groupId: topic, autoOffsetReset: 'earliest', logLevel: 'error' });
  consumer.subscribe([topic]);
  const seen = new Set();
  if (sent > 0) {
    for await (const record of consumer.records({ signal: AbortSignal.timeout(60000) })) {
      seen.add(record.value.toString());
      if (seen.size === sent) break;
    }
  }
  await consumer.close();
  const missing = expected.filter((v) => !seen.has(v)).length;
  const layers = { rx: typeof rx.fromConsumer === 'function', streams: typeof streams.createReadStream === 'function' };
  console.log(JSON.stringify({ node: process.version, sent, received: seen.size, missing, compressionWorkers: workersStarted > 0, unavailable, layers }));
}
main().catch((error) => { console.error(error); process.exit(1); });
`;
}
