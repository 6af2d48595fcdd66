/**
 * Child process of the memory test (`memory.test.ts`), run with `--expose-gc`: reads a large backlog through
 * `createReadStream` into a downstream that first stalls, then drains slowly, sampling heap and buffers after forced
 * garbage collections; reports the figures to the parent over IPC.
 */
import { Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { Consumer, type ConsumerRecord, metricValue } from '@vltava/core';
import { createCommitStream, createReadStream } from '../../src/index.js';

interface ChildConfig {
  readonly brokers: string;
  readonly topic: string;
  readonly groupId: string;
  readonly records: number;
  readonly highWaterMark: number;
  readonly stallMs: number;
  readonly options: Record<string, unknown>;
}

const config = JSON.parse(process.argv[2]!) as ChildConfig;
const gc = (globalThis as { gc?: () => void }).gc;
if (gc === undefined) throw new Error('run with --expose-gc');
const measure = () => {
  gc();
  const m = process.memoryUsage();
  return { heapUsed: m.heapUsed, arrayBuffers: m.arrayBuffers, total: m.heapUsed + m.arrayBuffers };
};
const delay = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function main(): Promise<void> {
  const consumer = new Consumer({
    brokers: config.brokers,
    groupId: config.groupId,
    autoOffsetReset: 'earliest',
    logLevel: 'error',
    ...config.options,
  });
  await consumer.connect();
  const baseline = measure();
  consumer.subscribe([config.topic]);
  const stream = createReadStream(consumer, { highWaterMark: config.highWaterMark, stopAfterRecords: config.records });

  let released = false;
  let release: () => void = () => undefined;
  const releasedPromise = new Promise<void>((resolve) => {
    release = resolve;
  });
  let processed = 0;
  // Holds every record until released, then passes each on after a short asynchronous pause.
  const slow = new Transform({
    objectMode: true,
    highWaterMark: 16,
    transform(record: ConsumerRecord, _encoding, callback) {
      const go = () => {
        processed++;
        if (processed % 50 === 0) setTimeout(() => callback(null, record), 1);
        else setImmediate(() => callback(null, record));
      };
      if (released) go();
      else void releasedPromise.then(go);
    },
  });
  const committer = createCommitStream(consumer);

  let max = baseline;
  let maxReadable = 0;
  let maxBufferedBytes = 0;
  let pausedSeen = 0;
  let sampling = true;
  const sampler = (async () => {
    while (sampling) {
      await delay(100);
      const sample = measure();
      if (sample.total > max.total) max = sample;
      maxReadable = Math.max(maxReadable, stream.readableLength);
      maxBufferedBytes = Math.max(
        maxBufferedBytes,
        metricValue(consumer.metrics(), 'vltava_consumer_buffered_bytes') ?? 0,
      );
      pausedSeen = Math.max(pausedSeen, consumer.backpressure.paused().length);
    }
  })();
  const done = pipeline(stream, slow, committer);
  // Stall: nothing is processed; the stream fills to its mark and fetching pauses. Then watch it hold for a while.
  const deadline = Date.now() + 30_000;
  while (consumer.backpressure.paused().length === 0 || stream.readableLength < config.highWaterMark) {
    if (Date.now() > deadline) throw new Error('the stream never filled and paused fetching');
    await delay(20);
  }
  await delay(config.stallMs);
  const stalled = { readable: stream.readableLength, delivered: stream.delivered, paused: pausedSeen };
  released = true;
  release();
  await done;
  sampling = false;
  await sampler;
  process.send!({
    type: 'result',
    baseline,
    max,
    maxReadable,
    maxBufferedBytes,
    pausedSeen,
    stalled,
    fetchPauses: stream.fetchPauses,
    processed,
    committed: (await committedTotal(config)).toString(),
  });
}

async function committedTotal(c: ChildConfig): Promise<bigint> {
  const check = new Consumer({ brokers: c.brokers, groupId: c.groupId, logLevel: 'error' });
  const partitions = (await check.partitionsFor(c.topic)).map((p) => ({ topic: c.topic, partition: p.partition }));
  const committed = await check.committed(partitions);
  await check.close();
  return committed.reduce((sum, o) => sum + (o.offset ?? 0n), 0n);
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
