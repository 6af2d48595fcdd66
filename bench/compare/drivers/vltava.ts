/**
 * Vltava's core API: `sendBatch` in arrays of the run's length and depth for throughput (the same loop as every
 * client that takes arrays), `send(record, callback)` for latency, and the consumer's `batches()` iterator in a
 * group (CRC checks on: `checkCrcs` defaults to true, as Java's `check.crcs`). On a Node whose ABI differs from the one the
 * repository's native `lz4` was built for, the same `lz4` version from the bench's install for that Node is used
 * (what a user of that Node gets from `npm install`).
 */
import { Consumer, Producer, type ProducerOptions, ShareConsumer } from '../../../packages/core/src/index.js';
import { lz4BackendName, setLz4Backend } from '../../../packages/core/src/protocol/records/compression/lz4-codec.js';
import type { ProduceJob } from '../job.js';
import { payloadPool } from '../payload.js';
import {
  type ClientDriver,
  DrainCounter,
  drained,
  driveArrays,
  keyPool,
  type Measured,
  requirePeer,
  runLatency,
  type Timed,
} from './driver.js';

/** Producer options of a produce job, as Vltava names them. */
export function vltavaProducerOptions(job: ProduceJob): ProducerOptions {
  const { settings } = job;
  return {
    brokers: job.bootstrap,
    logLevel: 'error',
    acks: settings.acks === 'all' ? 'all' : 1,
    enableIdempotence: settings.acks === 'all',
    compression: settings.compression,
    lingerMs: settings.lingerMs,
    batchSize: settings.batchSize,
  };
}

/** Makes sure Vltava's LZ4 is native on this Node (see the file comment). */
export async function nativeLz4For(peerDir: string): Promise<string> {
  try {
    const specifier: string = 'lz4'; // the repository's optional native LZ4 (untyped)
    await import(specifier);
    return 'lz4: native';
  } catch {
    interface NativeLz4 {
      encodeBound(length: number): number;
      encodeBlock(src: Uint8Array, dst: Uint8Array, start?: number): number;
      decodeBlock(src: Uint8Array, dst: Uint8Array, start?: number, end?: number): number;
    }
    let native: NativeLz4;
    try {
      native = requirePeer<NativeLz4>(peerDir, 'lz4');
    } catch {
      // Neither the repository's build nor the bench's install for this Node (a run without the peers installed):
      // uncompressed and zstd scenarios are not affected.
      return `lz4: ${lz4BackendName()} (no native lz4 built for Node ${process.versions.node})`;
    }
    setLz4Backend({
      name: 'native',
      encodeBound: (length) => native.encodeBound(length),
      encodeBlock: (src, dst, dstStart) => native.encodeBlock(src, dst, dstStart),
      decodeBlock: (src, dst, srcStart, srcEnd) => native.decodeBlock(src, dst, srcStart, srcEnd),
    });
    return `lz4: ${lz4BackendName()} (built for Node ${process.versions.node} in the bench's install)`;
  }
}

/**
 * Sends the job's records with `sendBatch` in arrays of the job's `arrayLength`, `arraysInFlight` calls in flight,
 * until every one is acknowledged; returns the time and the steady state. Throws the first failure.
 */
export async function sendAll(producer: Producer, job: ProduceJob): Promise<Timed> {
  const { records, size, arrayLength, arraysInFlight, keys } = job.settings;
  const pool = payloadPool(size);
  const keyed = keyPool(keys);
  const topic = job.topic;
  let failure: unknown;
  const timed = await driveArrays(records, arrayLength, arraysInFlight, async (start, count) => {
    const batch = new Array(count);
    if (keyed === undefined)
      for (let i = 0; i < count; i++) batch[i] = { topic, value: pool[(start + i) % pool.length] };
    else
      for (let i = 0; i < count; i++)
        batch[i] = { topic, key: keyed[(start + i) % keyed.length], value: pool[(start + i) % pool.length] };
    const result = await producer.sendBatch(batch);
    if (result.failed > 0) failure ??= result.firstError;
  });
  if (failure !== undefined) throw failure;
  return timed;
}

/** The driver. */
export async function load(peerDir: string): Promise<ClientDriver> {
  const lz4 = await nativeLz4For(peerDir);
  return {
    async produce(job) {
      const producer = new Producer(vltavaProducerOptions(job));
      await producer.send({ topic: job.topic, value: Buffer.alloc(1) }); // metadata and producer id first
      const { ms, steady } = await sendAll(producer, job);
      await producer.close();
      const { records, size } = job.settings;
      return { records, bytes: records * size, ms, steady, produced: records + 1, note: lz4 };
    },

    async consume(job): Promise<Measured> {
      const consumer = new Consumer({
        brokers: job.bootstrap,
        groupId: job.groupId,
        autoOffsetReset: 'earliest',
        logLevel: 'error',
      });
      const counter = new DrainCounter(job.records);
      consumer.subscribe([job.topic]);
      await drained(counter, async () => {
        for await (const batch of consumer.batches({ maxRecords: 2000 })) {
          let bytes = 0;
          for (const record of batch) bytes += record.serializedValueSize;
          counter.add(batch.count, bytes);
          if (counter.count >= job.records) break;
        }
      });
      await consumer.close();
      return counter.result('batches({ maxRecords: 2000 }), checkCrcs true (default)');
    },

    async share(job): Promise<Measured> {
      const consumer = new ShareConsumer({ brokers: job.bootstrap, groupId: job.groupId, logLevel: 'error' });
      const counter = new DrainCounter(job.records);
      consumer.subscribe([job.topic]);
      await drained(counter, async () => {
        for await (const record of consumer) {
          counter.add(1, record.serializedValueSize);
          if (counter.count >= job.records) {
            consumer.acknowledge(record); // accepted: leaving the loop would release it
            break;
          }
        }
      });
      await consumer.close();
      return counter.result('for await, implicit accept, checkCrcs true (default)');
    },

    latency(job) {
      const producer = new Producer({
        brokers: job.bootstrap,
        logLevel: 'error',
        lingerMs: job.lingerMs,
        batchSize: job.batchSize,
      });
      const consumer = new Consumer({
        brokers: job.bootstrap,
        groupId: job.groupId,
        autoOffsetReset: 'earliest',
        logLevel: 'error',
      });
      let failure: unknown;
      let reading: Promise<void> = Promise.resolve();
      const onSent = (error: unknown) => {
        if (error !== undefined) failure ??= error;
      };
      return runLatency(job, {
        async startConsumer(onValue) {
          consumer.subscribe([job.topic]);
          reading = (async () => {
            for await (const record of consumer) onValue(record.value as Buffer);
          })();
        },
        send(values) {
          for (const value of values) producer.send({ topic: job.topic, value }, onSent);
        },
        async close() {
          await producer.close();
          await consumer.close();
          await reading;
        },
        failure: () => failure,
      });
    },
  };
}
