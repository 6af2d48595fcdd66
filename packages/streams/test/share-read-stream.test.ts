import { Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import {
  Admin,
  type ConsumerProcessPayload,
  deserializers,
  diagnosticChannels,
  Producer,
  ShareConsumer,
  type ShareMessage,
} from '@vltava/core';
import { uniqueName } from '@vltava/kafka-harness/vitest';
import { describe, expect, inject, it } from 'vitest';
import { createShareReadStream } from '../src/index.js';

const brokers = inject('kafkaBootstrap');

/** A topic with `total` records and a share group reading it from the earliest offset. */
async function setup(name: string, total: number) {
  const topic = uniqueName(name);
  const groupId = uniqueName(`${name}-group`);
  await using admin = new Admin({ brokers, logLevel: 'error' });
  const [created] = await admin.createTopics([{ topic, numPartitions: 1 }], { waitForMetadata: true });
  if (created?.error !== undefined) throw created.error;
  const [configured] = await admin.incrementalAlterConfigs([
    {
      resource: { type: 'group', name: groupId },
      ops: [{ name: 'share.auto.offset.reset', op: 'set', value: 'earliest' }],
    },
  ]);
  if (configured?.error !== undefined) throw configured.error;
  await using producer = new Producer<string, string>({ brokers, logLevel: 'error' });
  const result = await producer.sendBatch(
    Array.from({ length: total }, (_, i) => ({ topic, partition: 0, key: null, value: `m-${i}` })),
  );
  if (result.firstError !== undefined) throw result.firstError;
  return { topic, groupId };
}

describe('share read stream against the broker', () => {
  it('settles each message through the pipeline: accepted once, rejected ones never again', async () => {
    const topic = uniqueName('streams-share');
    const groupId = uniqueName('streams-share-group');
    const total = 500;
    {
      await using admin = new Admin({ brokers, logLevel: 'error' });
      const [created] = await admin.createTopics([{ topic, numPartitions: 1 }], { waitForMetadata: true });
      if (created?.error !== undefined) throw created.error;
      const [configured] = await admin.incrementalAlterConfigs([
        {
          resource: { type: 'group', name: groupId },
          ops: [{ name: 'share.auto.offset.reset', op: 'set', value: 'earliest' }],
        },
      ]);
      if (configured?.error !== undefined) throw configured.error;
      await using producer = new Producer<string, string>({ brokers, logLevel: 'error' });
      const result = await producer.sendBatch(
        Array.from({ length: total }, (_, i) => ({ topic, partition: 0, key: null, value: `m-${i}` })),
      );
      if (result.firstError !== undefined) throw result.firstError;
    }
    const consumer = new ShareConsumer({
      brokers,
      groupId,
      valueDeserializer: deserializers.string,
      shareAcknowledgementMode: 'explicit',
      logLevel: 'error',
    });
    const stream = createShareReadStream(consumer, { topics: topic, maxInFlight: 50 });
    const accepted = new Map<string, number>();
    const rejected: string[] = [];
    let maxInFlight = 0;
    await pipeline(
      stream,
      new Writable({
        objectMode: true,
        highWaterMark: 8,
        write(message: ShareMessage<Buffer | null, string | null>, _encoding, done) {
          maxInFlight = Math.max(maxInFlight, stream.inFlight);
          const value = message.record.value!;
          if (Number(value.slice(2)) % 50 === 0) {
            message.reject();
            rejected.push(value);
          } else {
            message.accept();
            accepted.set(value, (accepted.get(value) ?? 0) + 1);
          }
          expect(message.accept()).toBe(false);
          if (accepted.size + rejected.length === total) stream.stop();
          done();
        },
      }),
    );
    expect(accepted.size).toBe(total - total / 50);
    expect([...accepted.values()].every((n) => n === 1)).toBe(true);
    expect(rejected.length).toBe(total / 50);
    expect(maxInFlight).toBeLessThanOrEqual(50);
  }, 60_000);

  it('traces each message on vltava:consumer:process (groupKind share): the stage downstream runs in its context, settling ends it, destroying abandons the rest', async () => {
    const { topic, groupId } = await setup('streams-share-trace', 4);
    const started: ConsumerProcessPayload[] = [];
    const ended: ConsumerProcessPayload[] = [];
    let inContext: ConsumerProcessPayload | undefined;
    const stop = diagnosticChannels.consumerProcess.subscribe({
      start(payload) {
        if (payload.groupKind !== 'share' || payload.groupId !== groupId) return;
        started.push(payload);
        payload.runInContext = (fn) => {
          const outer = inContext;
          inContext = payload;
          try {
            return fn();
          } finally {
            inContext = outer;
          }
        };
      },
      asyncStart(payload) {
        if (payload.groupKind === 'share' && payload.groupId === groupId) ended.push(payload);
      },
    });
    try {
      const consumer = new ShareConsumer({
        brokers,
        groupId,
        clientId: 'share-trace',
        valueDeserializer: deserializers.string,
        shareAcknowledgementMode: 'explicit',
        logLevel: 'error',
      });
      const stream = createShareReadStream(consumer, { topics: topic });
      const seenIn: Array<ConsumerProcessPayload | undefined> = [];
      const held: ShareMessage<Buffer | null, string | null>[] = [];
      const done = pipeline(
        stream,
        new Writable({
          objectMode: true,
          write(message: ShareMessage<Buffer | null, string | null>, _encoding, callback) {
            seenIn.push(inContext);
            // The first two are settled here; the other two are held until the stream is destroyed.
            if (held.length < 2) message.accept();
            held.push(message);
            if (held.length === 4) stream.destroy();
            callback();
          },
        }),
      ).catch(() => undefined);
      await done;
      expect(started.map((p) => p.records[0]!.offset)).toEqual([0n, 1n, 2n, 3n]);
      expect(started[0]).toMatchObject({ clientId: 'share-trace', groupId, groupKind: 'share' });
      // The writable's write ran inside the push of its own message's trace.
      expect(seenIn.map((p) => p?.records[0]?.offset)).toEqual([0n, 1n, 2n, 3n]);
      expect(ended.map((p) => [p.records[0]!.offset, p.abandoned === undefined])).toEqual([
        [0n, true],
        [1n, true],
        [2n, false],
        [3n, false],
      ]);
      expect(ended[2]!.abandoned).toMatch(/destroyed before the message was settled/);
    } finally {
      stop();
    }
  }, 60_000);
});
