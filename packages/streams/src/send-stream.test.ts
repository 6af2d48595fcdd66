import { Readable, Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { KafkaTimeoutError } from '@vltava/core';
import { describe, expect, it } from 'vitest';
import { FakeConsumer, type FakeRecord, fakeRecord } from '../test/support/fake-consumer.js';
import { FakeProducer } from '../test/support/fake-producer.js';
import { createCommitStream } from './commit-stream.js';
import { createReadStream } from './read-stream.js';
import { createSendStream, type SendResult } from './send-stream.js';

describe('createSendStream', () => {
  it('emits { source, metadata } in the order written once acknowledged, and ends after a flush', async () => {
    const producer = new FakeProducer();
    const results: Array<SendResult<number>> = [];
    await pipeline(
      Readable.from([1, 2, 3]),
      createSendStream(producer, (n: number) => ({ topic: 'out', value: String(n * 10) })),
      new Writable({
        objectMode: true,
        write(result: SendResult<number>, _encoding, callback) {
          results.push(result);
          callback();
        },
      }),
    );
    expect(results.map((r) => r.source)).toEqual([1, 2, 3]);
    expect(results.map((r) => r.metadata?.offset)).toEqual([0n, 1n, 2n]);
    expect(producer.everyBatchFlushed).toBe(true);
    expect(producer.calls.slice(-2)).toEqual(['flush', 'flush']);
  });

  it('fails the stream on a failed record and never emits it (so it is never committed)', async () => {
    const consumer = new FakeConsumer();
    consumer.add('in', 0, 10);
    const producer = new FakeProducer();
    producer.failWith = (r) => (r.value === 'in-0@5' ? new KafkaTimeoutError('delivery timed out') : undefined);
    await expect(
      pipeline(
        createReadStream(consumer, { maxRecords: 10 }),
        createSendStream(producer, (r: FakeRecord) => ({ topic: 'out', value: r.value })),
        createCommitStream(consumer),
      ),
    ).rejects.toThrow(KafkaTimeoutError);
    // Committed: never past the failed record 5.
    const committed = consumer.lastCommitted().get('in:0') ?? 0n;
    expect(committed).toBeLessThanOrEqual(5n);
    expect(consumer.closed).toBe(true);
  });

  it('is at-least-once end to end with the read stream and committer', async () => {
    const consumer = new FakeConsumer();
    consumer.add('in', 0, 50);
    consumer.add('in', 1, 50);
    const producer = new FakeProducer();
    await pipeline(
      createReadStream(consumer, { maxRecords: 100, highWaterMark: 8 }),
      createSendStream(producer, (r: FakeRecord) => ({ topic: 'out', key: r.partition, value: r.value }), {
        highWaterMark: 8,
      }),
      createCommitStream(consumer),
    );
    expect(producer.written).toHaveLength(100);
    expect(consumer.lastCommitted()).toEqual(
      new Map([
        ['in:0', 50n],
        ['in:1', 50n],
      ]),
    );
  });

  it('holds the next batch while nobody reads the results', async () => {
    const producer = new FakeProducer();
    const stream = createSendStream(producer, { topic: 'out' }, { highWaterMark: 2, readableHighWaterMark: 2 });
    let written = 0;
    let blocked = false;
    // A writer that honours backpressure, with nobody reading the results.
    const writing = (async () => {
      while (written < 10) {
        if (!stream.write(fakeRecord('in', 0, written++))) {
          blocked = true;
          await new Promise((resolve) => stream.once('drain', resolve));
          blocked = false;
        }
      }
      stream.end();
    })();
    const deadline = Date.now() + 2000;
    while (!(blocked && producer.unacknowledged === 0 && stream.readableLength >= 2) && Date.now() < deadline) {
      await new Promise((r) => setImmediate(r));
    }
    for (let i = 0; i < 5; i++) await new Promise((r) => setImmediate(r));
    // Results held: at most the readable mark plus one batch; the writer is blocked; not everything was sent.
    expect(blocked).toBe(true);
    expect(stream.readableLength).toBeLessThanOrEqual(2 + 2);
    expect(producer.written.length).toBeLessThan(10);
    const all: unknown[] = [];
    for await (const result of stream) all.push(result);
    await writing;
    expect(all).toHaveLength(10);
  });

  it('emits a result without metadata for a chunk mapped to nothing, so that it still gets committed', async () => {
    const consumer = new FakeConsumer();
    consumer.add('in', 0, 4);
    const producer = new FakeProducer();
    await pipeline(
      createReadStream(consumer, { maxRecords: 4 }),
      createSendStream(producer, (r: FakeRecord) => (r.offset % 2n === 0n ? { topic: 'out', value: r.value } : null)),
      createCommitStream(consumer),
    );
    expect(producer.written).toHaveLength(2);
    expect(consumer.lastCommitted().get('in:0')).toBe(4n);
  });
});
