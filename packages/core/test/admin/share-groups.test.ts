import { kafkaBrokers, uniqueName } from '@vltava/kafka-harness/vitest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Admin } from '../../src/admin/index.js';
import { deserializers, GroupIdNotFoundError, ShareConsumer } from '../../src/index.js';
import { TestProducer } from '../consumer/support/test-producer.js';
import { eventually } from './support/eventually.js';

let admin: Admin;
let producer: TestProducer;

beforeAll(() => {
  admin = new Admin({ brokers: kafkaBrokers(), clientId: 'admin-share-groups-test', logLevel: 'silent' });
  producer = new TestProducer(kafkaBrokers());
});
afterAll(async () => {
  await admin.close();
  producer.close();
});

/** Reads `count` records with a share consumer of `groupId`, accepting them, and closes it. */
async function consume(groupId: string, topic: string, count: number): Promise<string[]> {
  await using consumer = new ShareConsumer({
    brokers: kafkaBrokers(),
    groupId,
    valueDeserializer: deserializers.string,
    logLevel: 'error',
  });
  consumer.subscribe(topic);
  const values: string[] = [];
  const deadline = Date.now() + 30_000;
  while (values.length < count) {
    if (Date.now() > deadline) throw new Error(`got ${values.length} of ${count}`);
    for (const r of await consumer.poll({ timeoutMs: 200 })) values.push(r.value!);
  }
  await consumer.commitSync();
  return values;
}

describe('share groups through the admin client', () => {
  it('sets and reads share-group configs through incrementalAlterConfigs (group resource)', async () => {
    const groupId = uniqueName('share-admin-configs');
    const [altered] = await admin.incrementalAlterConfigs([
      {
        resource: { type: 'group', name: groupId },
        ops: [
          { name: 'share.auto.offset.reset', op: 'set', value: 'earliest' },
          { name: 'share.record.lock.duration.ms', op: 'set', value: '20000' },
          { name: 'share.delivery.count.limit', op: 'set', value: '3' },
          { name: 'share.isolation.level', op: 'set', value: 'read_committed' },
        ],
      },
    ]);
    expect(altered?.error).toBeUndefined();
    const [described] = await admin.describeConfigs([{ type: 'group', name: groupId }]);
    if (described?.error !== undefined) throw described.error;
    const value = (name: string) => described!.entries.find((e) => e.name === name)?.value;
    expect(value('share.auto.offset.reset')).toBe('earliest');
    expect(value('share.record.lock.duration.ms')).toBe('20000');
    expect(value('share.delivery.count.limit')).toBe('3');
    expect(value('share.isolation.level')).toBe('read_committed');
  });

  it('lists, describes, lists offsets of, alters, deletes offsets of and deletes a share group', async () => {
    const topic = uniqueName('share-admin');
    const groupId = uniqueName('share-admin-group');
    await producer.createTopic(topic, 1);
    await producer.sendMany(topic, 0, 10, 'v');
    await admin.incrementalAlterConfigs([
      {
        resource: { type: 'group', name: groupId },
        ops: [{ name: 'share.auto.offset.reset', op: 'set', value: 'earliest' }],
      },
    ]);

    // A live member: listed by type, described with its assignment.
    const consumer = new ShareConsumer({ brokers: kafkaBrokers(), groupId, logLevel: 'error' });
    consumer.subscribe(topic);
    try {
      const deadline = Date.now() + 30_000;
      while (consumer.assignment().length === 0 && Date.now() < deadline) await consumer.poll({ timeoutMs: 200 });
      const shareGroups = await admin.listGroups({ types: ['share'] });
      expect(shareGroups.find((g) => g.groupId === groupId)?.type).toBe('share');
      expect((await admin.listGroups({ types: ['consumer'] })).some((g) => g.groupId === groupId)).toBe(false);
      const [description] = await admin.describeShareGroups([groupId]);
      if (description?.error !== undefined) throw description.error;
      expect(description!.type).toBe('share');
      expect(description!.state).toBe('stable');
      expect(description!.members.map((m) => m.memberId)).toEqual([consumer.memberId]);
      expect(description!.members[0]!.assignment).toEqual([{ topic, partition: 0 }]);
      expect(description!.members[0]!.subscribedTopicNames).toEqual([topic]);
    } finally {
      await consumer.close();
    }

    expect((await consume(groupId, topic, 10)).sort()).toEqual(Array.from({ length: 10 }, (_, i) => `v-${i}`).sort());
    // Every record settled: no lag. (The start offset the share coordinator persists moves past settled records
    // when it next checkpoints the share-partition state, so it is only checked to be known here.)
    await eventually(async () => {
      const [offsets] = await admin.listShareGroupOffsets([groupId]);
      if (offsets?.error !== undefined) throw offsets.error;
      expect(offsets!.offsets).toEqual([
        { topic, partition: 0, startOffset: expect.any(BigInt), leaderEpoch: expect.any(Number), lag: 0n },
      ]);
    });

    // Move the start offset back: records 5..9 are delivered again.
    const altered = await admin.alterShareGroupOffsets(groupId, [{ topic, partition: 0, offset: 5n }]);
    expect(altered).toEqual([{ topic, partition: 0 }]);
    expect((await consume(groupId, topic, 5)).sort()).toEqual(['v-5', 'v-6', 'v-7', 'v-8', 'v-9']);

    const deleted = await admin.deleteShareGroupOffsets(groupId, [topic]);
    expect(deleted).toEqual([{ topic }]);
    await eventually(async () => {
      const [after] = await admin.listShareGroupOffsets([{ groupId, partitions: [{ topic, partition: 0 }] }]);
      if (after?.error !== undefined) throw after.error;
      expect(after!.offsets.every((o) => o.error !== undefined || o.startOffset === null)).toBe(true);
    });

    const [dropped] = await admin.deleteShareGroups([groupId]);
    expect(dropped?.error).toBeUndefined();
    const [gone] = await admin.describeShareGroups([groupId]);
    expect(gone?.error).toBeInstanceOf(GroupIdNotFoundError);
  }, 90_000);
});
