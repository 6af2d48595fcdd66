import { KafkaTimeoutError } from '@vltava/core';
import { describe, expect, it } from 'vitest';
import { FakeConsumer, type FakeRecord } from '../test/support/fake-consumer.js';
import { FakeProducer } from '../test/support/fake-producer.js';
import { createWebCommitStream } from './web-commit-stream.js';
import { createWebReadStream } from './web-read-stream.js';
import { createWebSendStream } from './web-send-stream.js';
import { createWebWriteStream } from './web-write-stream.js';

describe('Web Streams to a producer', () => {
  it('write() resolves on acknowledgement; arrays go as one batch; close() flushes', async () => {
    const producer = new FakeProducer();
    producer.autoAck = false;
    const writer = createWebWriteStream(producer, { topic: 'out' }).getWriter();
    let resolved = false;
    const first = writer.write({ value: 'a' }).then(() => {
      resolved = true;
    });
    await new Promise((r) => setImmediate(r));
    expect(resolved).toBe(false);
    producer.ackAll();
    await first;
    producer.autoAck = true;
    await writer.write([{ value: 'b' }, { value: 'c' }]);
    expect(producer.batchSizes).toEqual([1, 2]);
    await writer.close();
    expect(producer.everyBatchFlushed).toBe(true);
    expect(producer.calls).toEqual(['sendBatch', 'flush', 'sendBatch', 'flush', 'flush']);
    expect(producer.written.map((r) => r.value)).toEqual(['a', 'b', 'c']);
  });

  it('a failed record rejects its write and errors the stream', async () => {
    const producer = new FakeProducer();
    producer.failWith = () => new KafkaTimeoutError('delivery timed out');
    const writer = createWebWriteStream(producer, { topic: 'out' }).getWriter();
    await expect(writer.write({ value: 'a' })).rejects.toThrow(KafkaTimeoutError);
    await expect(writer.closed).rejects.toThrow(KafkaTimeoutError);
  });

  it('read -> send -> commit: every record written once, results in order, offsets committed', async () => {
    const consumer = new FakeConsumer();
    consumer.add('in', 0, 30);
    consumer.add('in', 1, 30);
    const producer = new FakeProducer();
    const order: string[] = [];
    await createWebReadStream(consumer, { maxRecords: 60, highWaterMark: 5 })
      .pipeThrough(
        createWebSendStream(producer, (r: FakeRecord) => ({ topic: 'out', value: r.value }), { highWaterMark: 7 }),
      )
      .pipeThrough(
        new TransformStream({
          transform(result, controller) {
            order.push((result.source as FakeRecord).value);
            controller.enqueue(result);
          },
        }),
      )
      .pipeTo(createWebCommitStream(consumer));
    expect(producer.written.map((r) => r.value)).toEqual(order);
    expect(order).toHaveLength(60);
    expect(consumer.lastCommitted()).toEqual(
      new Map([
        ['in:0', 30n],
        ['in:1', 30n],
      ]),
    );
  });

  it('the send transform fails on a failed record and does not emit it', async () => {
    const consumer = new FakeConsumer();
    consumer.add('in', 0, 10);
    const producer = new FakeProducer();
    producer.failWith = (r) => (r.value === 'in-0@3' ? new KafkaTimeoutError('delivery timed out') : undefined);
    const emitted: string[] = [];
    await expect(
      createWebReadStream(consumer, { maxRecords: 10 })
        .pipeThrough(createWebSendStream(producer, (r: FakeRecord) => ({ topic: 'out', value: r.value })))
        .pipeTo(
          new WritableStream({
            write: (result) => {
              emitted.push((result.source as FakeRecord).value);
            },
          }),
        ),
    ).rejects.toThrow(KafkaTimeoutError);
    expect(emitted).toEqual(['in-0@0', 'in-0@1', 'in-0@2']);
  });
});
