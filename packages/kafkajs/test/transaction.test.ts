import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Admin, KafkaJSNonRetriableError } from '../src/index.js';
import { committedOffsets, createTopic, kafka, readTopic, uniqueName } from './support.js';

describe('transactions against the broker', () => {
  const client = kafka();
  let admin: Admin;
  beforeAll(async () => {
    admin = client.admin();
    await admin.connect();
  });
  afterAll(async () => {
    await admin.disconnect();
  });

  it('commit makes the messages and the offsets visible together; abort hides the messages', async () => {
    const topic = uniqueName('kjs-tx');
    const source = uniqueName('kjs-tx-source');
    await createTopic(admin, topic, 2);
    await createTopic(admin, source, 1);
    const groupId = uniqueName('g');
    const producer = client.producer({ transactionalId: uniqueName('tx'), maxInFlightRequests: 1, idempotent: true });
    await producer.connect();
    try {
      const committed = await producer.transaction();
      expect(committed.isActive()).toBe(true);
      const result = await committed.send({ topic, messages: [{ key: 'a', value: 'committed-1' }] });
      expect(result[0]!.topicName).toBe(topic);
      await committed.sendBatch({ topicMessages: [{ topic, messages: [{ key: 'b', value: 'committed-2' }] }] });
      await committed.sendOffsets({
        consumerGroupId: groupId,
        topics: [{ topic: source, partitions: [{ partition: 0, offset: '42' }] }],
      });
      await committed.commit();
      expect(committed.isActive()).toBe(false);
      await expect(committed.send({ topic, messages: [{ value: 'late' }] })).rejects.toThrow(
        'Cannot continue to use transaction once ended',
      );

      const aborted = await producer.transaction();
      await aborted.send({ topic, messages: [{ key: 'c', value: 'aborted' }] });
      await aborted.abort();

      const visible = await readTopic(topic, 'read_committed');
      expect(visible.map((m) => m.value).sort()).toEqual(['committed-1', 'committed-2']);
      const all = await readTopic(topic, 'read_uncommitted');
      expect(all.map((m) => m.value).sort()).toEqual(['aborted', 'committed-1', 'committed-2']);
      expect((await committedOffsets(groupId, source)).get(0)).toBe(42n);
    } finally {
      await producer.disconnect();
    }
  });

  it('allows one transaction at a time, and needs a transactionalId', async () => {
    const topic = uniqueName('kjs-tx-one');
    await createTopic(admin, topic, 1);
    const producer = client.producer({ transactionalId: uniqueName('tx') });
    await producer.connect();
    try {
      const first = await producer.transaction();
      await expect(producer.transaction()).rejects.toThrow(
        'There is already an ongoing transaction for this producer. Please end the transaction before beginning another.',
      );
      await first.send({ topic, messages: [{ value: 'x' }] });
      await first.commit();
      const second = await producer.transaction();
      await second.abort();
      // Sends outside a transaction still work on a transactional producer, as in KafkaJS.
      await producer.send({ topic, messages: [{ value: 'outside' }] });
      expect((await readTopic(topic, 'read_committed')).map((m) => m.value)).toEqual(['x', 'outside']);
    } finally {
      await producer.disconnect();
    }
    const plain = client.producer();
    await expect(plain.transaction()).rejects.toBeInstanceOf(KafkaJSNonRetriableError);
  });

  it('a consumer in read_committed mode (KafkaJS default) skips aborted messages', async () => {
    const topic = uniqueName('kjs-tx-read');
    await createTopic(admin, topic, 1);
    const producer = client.producer({ transactionalId: uniqueName('tx') });
    await producer.connect();
    const t1 = await producer.transaction();
    await t1.send({ topic, messages: [{ value: 'gone' }] });
    await t1.abort();
    const t2 = await producer.transaction();
    await t2.send({ topic, messages: [{ value: 'kept' }] });
    await t2.commit();
    await producer.disconnect();
    const consumer = client.consumer({ groupId: uniqueName('g'), maxWaitTimeInMs: 100 });
    await consumer.subscribe({ topics: [topic], fromBeginning: true });
    const seen: string[] = [];
    await consumer.run({
      eachBatch: async ({ batch }) => {
        for (const m of batch.messages) seen.push(m.value!.toString());
      },
    });
    await expect.poll(() => seen).toEqual(['kept']);
    await consumer.disconnect();
  });
});
