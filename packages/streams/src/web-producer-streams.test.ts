import { FakeConsumer, FakeProducer, type FakeRecord } from '@vltava/client-fakes';
import { KafkaTimeoutError } from '@vltava/core';
import { describe, expect, it } from 'vitest';
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
    const first = writer.write('a').then(() => {
      resolved = true;
    });
    await new Promise((r) => setImmediate(r));
    expect(resolved).toBe(false);
    producer.ackAll();
    await first;
    producer.autoAck = true;
    await writer.write(['b', 'c']);
    expect(producer.batchSizes).toEqual([1, 2]);
    await writer.close();
    // One write at a time: nothing can join a write's records, so each is flushed at once.
    expect(producer.calls).toEqual(['sendBatch:1', 'flush', 'sendBatch:2', 'flush']);
    expect(producer.written.map((r) => r.value)).toEqual(['a', 'b', 'c']);
  });

  it('a failed record rejects its write and errors the stream', async () => {
    const producer = new FakeProducer();
    producer.ack = () => ({ error: new KafkaTimeoutError('delivery timed out') });
    const writer = createWebWriteStream(producer, { topic: 'out' }).getWriter();
    await expect(writer.write('a')).rejects.toThrow(KafkaTimeoutError);
    await expect(writer.closed).rejects.toThrow(KafkaTimeoutError);
  });

  it('read -> send -> commit: every record written once, results in order, offsets committed', async () => {
    const consumer = new FakeConsumer();
    consumer.add('in', 0, 30);
    consumer.add('in', 1, 30);
    const producer = new FakeProducer();
    const order: string[] = [];
    await createWebReadStream(consumer, { stopAfterRecords: 60, highWaterMark: 5 })
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
    producer.ack = (r) => (r.value === 'in-0@3' ? { error: new KafkaTimeoutError('delivery timed out') } : {});
    const emitted: string[] = [];
    await expect(
      createWebReadStream(consumer, { stopAfterRecords: 10, requireCommitter: false })
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
