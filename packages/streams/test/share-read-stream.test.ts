import { Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { Admin, deserializers, Producer, ShareConsumer, type ShareMessage } from '@vltava/core';
import { uniqueName } from '@vltava/kafka-harness/vitest';
import { describe, expect, inject, it } from 'vitest';
import { createShareReadStream } from '../src/index.js';

const brokers = inject('kafkaBootstrap');

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
});
