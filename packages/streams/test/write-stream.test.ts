import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { type Consumer, type ConsumerRecord, deserializers, isKafkaError, metricValue, Producer } from '@vltava/core';
import { uniqueName } from '@vltava/kafka-harness/vitest';
import { afterAll, describe, expect, inject, it } from 'vitest';
import {
  createWebCommitStream,
  createWebReadStream,
  createWebSendStream,
  createWebWriteStream,
  createWriteStream,
} from '../src/index.js';
import { closeAll, committedOffsets, endOffsetTotal, readAll, TestData, testConsumer } from './support/kafka.js';

const brokers = inject('kafkaBootstrap');

/** A mapper sending `{ key, value }` chunks to `topic`. */
const toRecord = (topic: string) => (chunk: { key: string; value: string }) => ({ topic, ...chunk });

describe('write streams against the broker', () => {
  const data = new TestData(brokers);
  const producers: Array<Producer<string, string>> = [];
  const opened: Array<Consumer<unknown, unknown>> = [];
  const producer = (options: Partial<ConstructorParameters<typeof Producer<string, string>>[0]> = {}) => {
    const p = new Producer<string, string>({ brokers, logLevel: 'error', ...options });
    producers.push(p);
    return p;
  };
  afterAll(async () => {
    await closeAll(opened);
    await Promise.all(producers.map((p) => p.close()));
    await data.close();
  });

  it('a trickle of one record per tick still batches: the producer gathers it for lingerMs', async ({ annotate }) => {
    const topic = uniqueName('w');
    await data.createTopic(topic, 1);
    const p = producer({ lingerMs: 100 });
    const requests = () => metricValue(p.metrics(), 'vltava_producer_requests_total') ?? 0;
    await p.send({ topic, value: 'warm-up' }); // metadata and producer id first
    const before = requests();
    const stream = createWriteStream(p, toRecord(topic));
    const acknowledged: Promise<void>[] = [];
    const started = Date.now();
    for (let i = 0; i < 300; i++) {
      acknowledged.push(
        new Promise<void>((resolve, reject) =>
          stream.write({ key: 'k', value: `v${i}` }, (error) => (error ? reject(error) : resolve())),
        ),
      );
      await new Promise((resolve) => setImmediate(resolve)); // one record per turn of the event loop
    }
    const trickleMs = Date.now() - started;
    await Promise.all(acknowledged);
    const sent = requests() - before;
    await annotate(`300 records written one per tick over ${trickleMs} ms went in ${sent} produce requests`);
    // One request per lingerMs of trickle (plus the last one), not one per record (before: about one per record).
    expect(sent).toBeLessThanOrEqual(Math.ceil(trickleMs / 100) + 2);
    expect(sent).toBeLessThan(30);
    await new Promise<void>((resolve) => stream.end(resolve));
    expect(await endOffsetTotal(brokers, topic)).toBe(301n);
  });

  it('calls a write back once the record is in the log, and finishes after every record is acknowledged', async () => {
    const topic = uniqueName('w');
    await data.createTopic(topic, 2);
    const stream = createWriteStream(producer(), toRecord(topic));
    // The first callback: the record is in the log already (acks=all: the high watermark passed it).
    await new Promise<void>((resolve, reject) =>
      stream.write({ key: 'k0', value: 'first' }, (error) => (error ? reject(error) : resolve())),
    );
    expect(await endOffsetTotal(brokers, topic)).toBe(1n);
    await pipeline(
      Readable.from(Array.from({ length: 9999 }, (_, i) => ({ key: `k${(i + 1) % 7}`, value: `v${i + 1}` }))),
      stream,
    );
    expect(stream.acknowledged).toBe(10_000);
    const written = await readAll(brokers, topic);
    expect(written).toHaveLength(10_000);
    // Per key, in write order.
    const byKey = new Map<string, number[]>();
    for (const r of written) {
      if (r.value === 'first') continue;
      byKey.set(r.key!, [...(byKey.get(r.key!) ?? []), Number(r.value!.slice(1))]);
    }
    for (const values of byKey.values()) expect(values).toEqual([...values].sort((a, b) => a - b));
  });

  it('waits for room in a full producer buffer instead of failing, and loses nothing', async () => {
    const topic = uniqueName('w');
    await data.createTopic(topic, 3);
    // 256 KiB of buffer for 24 MiB of records: sends must wait for memory, many times.
    const p = producer({ bufferMemory: 256 * 1024, batchSize: 32 * 1024, maxBlockMs: 5000 });
    const value = 'x'.repeat(8 * 1024);
    let lowest = Number.POSITIVE_INFINITY;
    const sampler = setInterval(() => {
      lowest = Math.min(lowest, p.bufferAvailable);
    }, 1);
    const stream = createWriteStream(p, toRecord(topic), { highWaterMark: 256 });
    let refused = 0;
    await pipeline(
      Readable.from(
        (function* () {
          for (let i = 0; i < 3000; i++) yield { key: String(i), value };
        })(),
      ),
      stream,
    ).finally(() => clearInterval(sampler));
    refused = 3000 - stream.acknowledged;
    expect(refused).toBe(0);
    expect(lowest).toBeLessThan(64 * 1024); // the buffer was (nearly) full: backpressure, not failures
    expect(await endOffsetTotal(brokers, topic)).toBe(3000n);
  });

  it('fails the stream with the typed error of a record the broker refuses; the records before it are written', async () => {
    const topic = uniqueName('w');
    await data.createTopic(topic, 1, { 'max.message.bytes': '2048' });
    const stream = createWriteStream(producer(), { topic });
    const records = ['a', 'b', 'y'.repeat(10_000), 'c'];
    const error = await pipeline(Readable.from(records), stream).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(isKafkaError(error)).toBe(true);
    expect(String((error as { code: string }).code)).toMatch(/TOO_LARGE/);
    expect(stream.deliveryError).toBe(error);
    const written = (await readAll(brokers, topic)).map((r) => r.value);
    expect(written.slice(0, 2)).toEqual(['a', 'b']);
    expect(written).not.toContain('y'.repeat(10_000));
  });

  it('Web WritableStream: write() resolves on acknowledgement, arrays go as one batch, close() flushes', async () => {
    const topic = uniqueName('ww');
    await data.createTopic(topic, 2);
    const writer = createWebWriteStream(producer(), (r: { key: string; value: string }) => ({
      topic,
      ...r,
    })).getWriter();
    await writer.write({ key: 'a', value: 'one' });
    expect(await endOffsetTotal(brokers, topic)).toBe(1n);
    await writer.write(Array.from({ length: 999 }, (_, i) => ({ key: String(i), value: `v${i}` })));
    expect(await endOffsetTotal(brokers, topic)).toBe(1000n);
    await writer.close();
    expect(await readAll(brokers, topic)).toHaveLength(1000);
  });

  it('Web Streams end to end: read -> transform -> send -> commit', async () => {
    const source = uniqueName('wsrc');
    const target = uniqueName('wdst');
    await data.createTopic(source, 2);
    await data.createTopic(target, 2);
    await data.fill(source, 2, 10_000);
    const groupId = uniqueName('g');
    const consumer = testConsumer(opened, { brokers, groupId, valueDeserializer: deserializers.string });
    consumer.subscribe([source]);
    type Source = ConsumerRecord<Buffer | null, string | null>;
    await createWebReadStream(consumer, { stopAfterRecords: 20_000 })
      .pipeThrough(
        new TransformStream<Source, Source>({
          transform: (r, c) => c.enqueue({ ...r, value: (r.value ?? '').toUpperCase() }),
        }),
      )
      .pipeThrough(createWebSendStream(producer(), (r: Source) => ({ topic: target, value: r.value ?? '' })))
      .pipeTo(createWebCommitStream(consumer));
    const partitions = [0, 1].map((partition) => ({ topic: source, partition }));
    expect(await committedOffsets(brokers, groupId, partitions)).toEqual([10_000n, 10_000n]);
    const written = await readAll(brokers, target);
    expect(new Set(written.map((r) => r.value)).size).toBe(20_000);
    expect(written.some((r) => r.value === 'P1-9999')).toBe(true);
  });
});
