import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { InvalidArgumentError, RecordTooLargeError } from '@vltava/core';
import { describe, expect, it } from 'vitest';
import { FakeProducer } from '../test/support/fake-producer.js';
import { createWriteStream } from './write-stream.js';

const tick = () => new Promise((resolve) => setImmediate(resolve));

describe('createWriteStream', () => {
  it('calls back only once the broker acknowledged, batching the writes of a tick and those buffered meanwhile', async () => {
    const producer = new FakeProducer();
    producer.autoAck = false;
    const stream = createWriteStream(producer, { topic: 'out' });
    const acked: number[] = [];
    for (let i = 0; i < 3; i++) stream.write({ key: `k${i}`, value: `v${i}` }, () => acked.push(i));
    await tick();
    expect(producer.batchSizes).toEqual([3]); // one batch for the writes of one tick
    for (let i = 3; i < 5; i++) stream.write({ key: `k${i}`, value: `v${i}` }, () => acked.push(i));
    await tick();
    expect(producer.batchSizes).toEqual([3]); // the others wait for the batch in flight
    expect(acked).toEqual([]);
    producer.ackAll();
    await tick();
    await tick();
    expect(acked).toEqual([0, 1, 2]);
    expect(producer.batchSizes).toEqual([3, 2]);
    producer.ackAll();
    await tick();
    await tick();
    expect(acked).toEqual([0, 1, 2, 3, 4]);
    expect(producer.written.map((r) => [r.topic, r.key, r.value])).toEqual(
      Array.from({ length: 5 }, (_, i) => ['out', `k${i}`, `v${i}`]),
    );
    expect(stream.acknowledged).toBe(5);
  });

  it('loads the metadata of each topic once, before its first batch', async () => {
    const producer = new FakeProducer();
    await pipeline(
      Readable.from([1, 2, 3, 4, 5]),
      createWriteStream(producer, (n: number) => ({ topic: n % 2 === 0 ? 'even' : 'odd', value: String(n) })),
    );
    expect(producer.metadataAsked.sort()).toEqual(['even', 'odd']);
    expect(producer.written).toHaveLength(5);
  });

  it('maps chunks with a function, skipping chunks mapped to null', async () => {
    const producer = new FakeProducer();
    await pipeline(
      Readable.from([1, 2, 3, 4]),
      createWriteStream(producer, (n: number) => (n % 2 === 0 ? { topic: 'even', value: String(n) } : null)),
    );
    expect(producer.written.map((r) => r.value)).toEqual(['2', '4']);
  });

  it('waits for room in the producer buffer instead of failing: write() returns false meanwhile', async () => {
    const producer = new FakeProducer();
    producer.bufferFull = true;
    const stream = createWriteStream(producer, { topic: 'out' }, { highWaterMark: 3 });
    const results = [1, 2, 3, 4].map((i) => stream.write({ value: String(i) }));
    expect(results).toEqual([true, true, false, false]);
    await tick();
    expect(producer.batchSizes).toEqual([]);
    producer.bufferFull = false;
    await new Promise((resolve) => stream.once('drain', resolve));
    expect(producer.written).toHaveLength(4);
  });

  it('fails the stream with the first typed delivery error: the callbacks of the failed batch get it', async () => {
    const producer = new FakeProducer();
    producer.failWith = (r) => (r.value === 'big' ? new RecordTooLargeError('too large', { topic: 'out' }) : undefined);
    const errors: unknown[] = [];
    const stream = createWriteStream(producer, { topic: 'out' });
    stream.write({ value: 'a' }, (e) => errors.push(e ?? 'ok'));
    await tick(); // 'a' goes out in a batch of its own
    stream.write({ value: 'big' }, (e) => errors.push(e ?? 'ok'));
    stream.write({ value: 'c' }, (e) => errors.push(e ?? 'ok'));
    await expect(new Promise((_, reject) => stream.on('error', reject))).rejects.toThrow(RecordTooLargeError);
    expect(errors[0]).toBe('ok');
    expect(errors.slice(1).every((e) => e instanceof RecordTooLargeError)).toBe(true);
    expect(stream.deliveryError).toBeInstanceOf(RecordTooLargeError);
  });

  it('end() flushes and finishes after every acknowledgement; closeProducer closes it', async () => {
    const producer = new FakeProducer();
    const stream = createWriteStream(producer, { topic: 'out' }, { closeProducer: true });
    await pipeline(Readable.from([{ value: 'a' }, { value: 'b' }]), stream);
    // Each batch goes without waiting for lingerMs; end() flushes once more, then closes.
    expect(producer.everyBatchFlushed).toBe(true);
    expect(producer.calls.slice(-3)).toEqual(['flush', 'flush', 'close']);
    expect(producer.closes).toBe(1);
    expect(producer.written).toHaveLength(2);
  });

  it('destroy() lets the batch in flight settle: its callbacks get their real outcome', async () => {
    const producer = new FakeProducer();
    producer.autoAck = false;
    const stream = createWriteStream(producer, { topic: 'out' });
    const outcomes: string[] = [];
    stream.write({ value: 'in flight' }, (e) =>
      outcomes.push(e ? (e as unknown as { code: string }).code : 'acknowledged'),
    );
    await tick();
    stream.write({ value: 'buffered' }, (e) =>
      outcomes.push(e ? (e as unknown as { code: string }).code : 'acknowledged'),
    );
    const closed = new Promise((resolve) => stream.on('close', resolve));
    stream.destroy();
    await tick();
    expect(outcomes).toEqual([]); // not settled yet: the in-flight record is not reported as lost
    producer.ackAll();
    await closed;
    expect(outcomes).toEqual(['acknowledged', 'ERR_STREAM_DESTROYED']);
    expect(producer.written.map((r) => r.value)).toEqual(['in flight']);
  });

  it('fails a chunk that is not a record for a { topic } target, and a mapping that throws, with InvalidArgumentError', async () => {
    await expect(
      pipeline(Readable.from(['text']), createWriteStream(new FakeProducer(), { topic: 'out' })),
    ).rejects.toThrow(InvalidArgumentError);
    await expect(
      pipeline(
        Readable.from([1]),
        createWriteStream(new FakeProducer(), () => {
          throw new Error('boom');
        }),
      ),
    ).rejects.toThrow(InvalidArgumentError);
    expect(() => createWriteStream(new FakeProducer(), { topic: '' })).toThrow(InvalidArgumentError);
  });
});
