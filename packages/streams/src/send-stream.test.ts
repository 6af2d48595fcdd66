import { Readable, Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { FakeConsumer, FakeProducer, type FakeRecord, settle } from '@vltava/client-fakes';
import { KafkaTimeoutError, type SendSuccess } from '@vltava/core';
import { describe, expect, it } from 'vitest';
import { createCommitStream } from './commit-stream.js';
import { createReadStream } from './read-stream.js';
import { createSendStream } from './send-stream.js';

describe('createSendStream', () => {
  it('emits { ok, source, metadata } in the order written once acknowledged, and ends after a flush', async () => {
    const producer = new FakeProducer<string, string>();
    producer.ack = (r) => ({ delay: r.value === '10' ? 20 : 0 }); // the first is acknowledged last
    const results: Array<SendSuccess<number>> = [];
    await pipeline(
      Readable.from([1, 2, 3]),
      createSendStream(producer, (n: number) => ({ topic: 'out', value: String(n * 10) })),
      new Writable({
        objectMode: true,
        write(result: SendSuccess<number>, _encoding, callback) {
          results.push(result);
          callback();
        },
      }),
    );
    expect(results.map((r) => r.source)).toEqual([1, 2, 3]);
    expect(results.map((r) => r.ok)).toEqual([true, true, true]);
    expect(results.map((r) => r.metadata.map((m) => m.offset))).toEqual([[2n], [0n], [1n]]);
    expect(producer.calls.at(-1)).toBe('flush');
  });

  it('fails the stream on a failed record and never emits it (so it is never committed)', async () => {
    const consumer = new FakeConsumer();
    consumer.add('in', 0, 10);
    const producer = new FakeProducer<string | number, string>();
    producer.ack = (r) => (r.value === 'in-0@5' ? { error: new KafkaTimeoutError('delivery timed out') } : {});
    await expect(
      pipeline(
        createReadStream(consumer, { stopAfterRecords: 10 }),
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
    const producer = new FakeProducer<string | number, string>();
    await pipeline(
      createReadStream(consumer, { stopAfterRecords: 100, highWaterMark: 8 }),
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

  it('stops taking input while nobody reads the results', async () => {
    const producer = new FakeProducer<string, string>();
    producer.autoAck = false;
    const stream = createSendStream(
      producer,
      { topic: 'out' },
      {
        highWaterMark: 2,
        readableHighWaterMark: 2,
        maxInFlight: 4,
      },
    );
    let written = 0;
    let blocked = false;
    // A writer that honours backpressure, with nobody reading the results.
    const writing = (async () => {
      while (written < 20) {
        if (!stream.write(`v${written++}`)) {
          blocked = true;
          await new Promise((resolve) => stream.once('drain', resolve));
          blocked = false;
        }
      }
      stream.end();
    })();
    for (let i = 0; i < 20; i++) {
      producer.ackAll(); // the broker keeps up
      await settle();
    }
    // Results held: at most the readable mark plus what was in flight when it filled; the writer is blocked.
    expect(blocked).toBe(true);
    expect(stream.readableLength).toBeLessThanOrEqual(2 + 4);
    expect(producer.written.length).toBeLessThan(20);
    producer.autoAck = true;
    producer.ackAll();
    const all: unknown[] = [];
    for await (const result of stream) all.push(result);
    await writing;
    expect(all).toHaveLength(20);
  });

  it('emits a result without metadata for a chunk mapped to nothing, so that it still gets committed', async () => {
    const consumer = new FakeConsumer();
    consumer.add('in', 0, 4);
    const producer = new FakeProducer<string | number, string>();
    await pipeline(
      createReadStream(consumer, { stopAfterRecords: 4 }),
      createSendStream(producer, (r: FakeRecord) => (r.offset % 2n === 0n ? { topic: 'out', value: r.value } : null)),
      createCommitStream(consumer),
    );
    expect(producer.written).toHaveLength(2);
    expect(consumer.lastCommitted().get('in:0')).toBe(4n);
  });
});
