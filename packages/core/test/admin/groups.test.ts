import { kafkaBrokers, uniqueName } from '@vltava/kafka-harness/vitest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Admin, type GroupDescription, unwrapResults } from '../../src/admin/index.js';
import type { Cluster } from '../../src/cluster/cluster.js';
import {
  GroupIdNotFoundError,
  GroupSubscribedToTopicError,
  InvalidArgumentError,
  NonEmptyGroupError,
  UnknownMemberIdError,
  UnknownTopicOrPartitionError,
} from '../../src/errors/index.js';
import { eventually } from './support/eventually.js';
import {
  closeFixtureClusters,
  commitOffsets,
  fixtureCluster,
  joinClassicGroup,
  joinConsumerGroup,
  produce,
} from './support/wire-fixtures.js';

let admin: Admin;
let cluster: Cluster;
let topic: string;
const start = Date.now() - 60_000;

beforeAll(async () => {
  admin = new Admin({ brokers: kafkaBrokers(), clientId: 'admin-groups-test', logLevel: 'silent' });
  cluster = fixtureCluster(kafkaBrokers());
  topic = uniqueName('admin-groups');
  unwrapResults(await admin.createTopics([{ topic, numPartitions: 3 }], { waitForMetadata: true }));
  // Partition 0: offsets 0-9 at timestamps start, start+1000, ...; partitions 1 and 2: 4 records each.
  await produce(
    cluster,
    topic,
    0,
    Array.from({ length: 10 }, (_, i) => ({ value: `v${i}`, timestamp: start + i * 1000 })),
  );
  for (const partition of [1, 2]) {
    await produce(
      cluster,
      topic,
      partition,
      Array.from({ length: 4 }, (_, i) => ({ value: `p${partition}-${i}` })),
    );
  }
});
afterAll(async () => {
  await admin?.close();
  closeFixtureClusters();
});

function described(result: ({ error?: Error } & Partial<GroupDescription>) | undefined): GroupDescription {
  if (result === undefined) throw new Error('no result');
  if (result.error) throw result.error;
  return result as GroupDescription;
}

describe('Admin groups against the real broker', () => {
  it('lists and describes classic and KIP-848 consumer groups, failing an unknown group alone', async () => {
    const committed = uniqueName('admin-group-offsets');
    const classic = uniqueName('admin-group-classic');
    const consumer = uniqueName('admin-group-848');
    await commitOffsets(cluster, committed, [{ topic, partition: 0, offset: 2n, metadata: 'm' }]);
    const member = await joinClassicGroup(cluster, classic, [topic], [{ topic, partitions: [0, 2] }]);
    const modern = await joinConsumerGroup(cluster, consumer, [topic]);
    try {
      const listed = await admin.listGroups();
      const ours = listed.filter((g) => [committed, classic, consumer].includes(g.groupId));
      expect(ours).toEqual(
        expect.arrayContaining([
          expect.objectContaining({ groupId: classic, protocolType: 'consumer', state: 'stable', type: 'classic' }),
          expect.objectContaining({ groupId: consumer, protocolType: 'consumer', type: 'consumer' }),
          expect.objectContaining({ groupId: committed, state: 'empty' }),
        ]),
      );

      const onlyConsumer = await admin.listGroups({ types: ['consumer'] });
      expect(onlyConsumer.some((g) => g.groupId === consumer)).toBe(true);
      expect(onlyConsumer.some((g) => g.groupId === classic)).toBe(false);
      const onlyStable = await admin.listGroups({ states: ['stable'], types: ['classic'] });
      expect(onlyStable.some((g) => g.groupId === classic)).toBe(true);
      expect(onlyStable.some((g) => g.groupId === committed)).toBe(false);

      // The KIP-848 member's target assignment is computed after it joins: heartbeat until it has all three.
      const modernGroup = await eventually(async () => {
        await modern.heartbeat();
        const [result] = await admin.describeGroups([consumer]);
        const group = described(result);
        if (group.type !== 'consumer') throw new Error(`expected a consumer group, got ${group.type}`);
        expect(group.members[0]?.targetAssignment).toHaveLength(3);
        return group;
      });
      expect(modernGroup.members).toHaveLength(1);
      expect(modernGroup.members[0]).toMatchObject({
        memberId: modern.memberId,
        clientId: 'admin-fixture',
        subscribedTopicNames: [topic],
        memberType: 'consumer',
      });
      expect(modernGroup.members[0]?.targetAssignment).toEqual([0, 1, 2].map((partition) => ({ topic, partition })));
      expect(modernGroup.groupEpoch).toBeGreaterThan(0);
      expect(['uniform', 'range']).toContain(modernGroup.assignor);

      const missing = uniqueName('admin-group-missing');
      const results = await admin.describeGroups([classic, missing, committed], { includeAuthorizedOperations: true });
      expect(results.map((r) => r.groupId)).toEqual([classic, missing, committed]);
      const classicGroup = described(results[0]);
      if (classicGroup.type !== 'classic') throw new Error(`expected a classic group, got ${classicGroup.type}`);
      expect(classicGroup).toMatchObject({ state: 'stable', protocolType: 'consumer', protocol: 'range' });
      expect(classicGroup.members).toHaveLength(1);
      expect(classicGroup.members[0]).toMatchObject({
        memberId: member.memberId,
        clientId: 'admin-fixture',
        subscribedTopics: [topic],
        assignment: [
          { topic, partition: 0 },
          { topic, partition: 2 },
        ],
      });
      expect(classicGroup.authorizedOperations).toEqual(expect.arrayContaining(['read', 'describe', 'delete']));
      expect(results[1]?.error).toBeInstanceOf(GroupIdNotFoundError);
      expect(described(results[2]).state).toBe('empty');
      expect(described(results[2]).members).toEqual([]);
    } finally {
      await modern.leave();
    }
  });

  it('lists committed offsets with lag, per group and per partition', async () => {
    const groupId = uniqueName('admin-group-lag');
    const unknown = uniqueName('admin-group-none');
    await commitOffsets(cluster, groupId, [
      { topic, partition: 0, offset: 3n, metadata: 'at-3' },
      { topic, partition: 1, offset: 4n },
    ]);
    const [all] = await admin.listGroupOffsets([groupId], { includeLag: true });
    // A group is listed once per call: ask for specific partitions (and an unknown group) in a second call.
    const [specific, none] = await admin.listGroupOffsets([
      { groupId, partitions: [{ topic, partition: 2 }] },
      unknown,
    ]);
    if (all?.error) throw all.error;
    expect(all?.offsets).toEqual([
      { topic, partition: 0, offset: 3n, leaderEpoch: null, metadata: 'at-3', endOffset: 10n, lag: 7n },
      { topic, partition: 1, offset: 4n, leaderEpoch: null, metadata: '', endOffset: 4n, lag: 0n },
    ]);
    if (specific?.error) throw specific.error;
    expect(specific?.offsets).toEqual([{ topic, partition: 2, offset: null, leaderEpoch: null, metadata: '' }]);
    // OffsetFetch answers a group that never committed with no offsets, not an error (as Java's client shows it).
    if (none?.error) throw none.error;
    expect(none?.offsets).toEqual([]);
  });

  it('alters, resets and deletes the offsets of an empty group, and refuses while a member consumes', async () => {
    const groupId = uniqueName('admin-group-reset');
    const results = await admin.alterGroupOffsets(groupId, [
      { topic, partition: 0, offset: 5n, metadata: 'manual' },
      { topic, partition: 1, offset: 1n },
    ]);
    expect(results).toEqual([
      { topic, partition: 0 },
      { topic, partition: 1 },
    ]);
    const offsetOf = async (partition: number) => {
      const [group] = await admin.listGroupOffsets([{ groupId, partitions: [{ topic, partition }] }]);
      if (group?.error) throw group.error;
      const found = group?.offsets[0];
      if (found?.error) throw found.error;
      return found?.offset;
    };
    expect(await offsetOf(0)).toBe(5n);

    const dry = await admin.resetGroupOffsets(groupId, { to: 'earliest', dryRun: true });
    expect(dry).toEqual([
      { topic, partition: 0, offset: 0n, previousOffset: 5n },
      { topic, partition: 1, offset: 0n, previousOffset: 1n },
    ]);
    expect(await offsetOf(0)).toBe(5n);

    expect(await admin.resetGroupOffsets(groupId, { to: 'latest', topics: [topic] })).toEqual([
      { topic, partition: 0, offset: 10n, previousOffset: 5n },
      { topic, partition: 1, offset: 4n, previousOffset: 1n },
      { topic, partition: 2, offset: 4n, previousOffset: null },
    ]);
    expect(await offsetOf(2)).toBe(4n);

    const shifted = await admin.resetGroupOffsets(groupId, {
      to: { shiftBy: -3n },
      partitions: [
        { topic, partition: 0 },
        { topic, partition: 1 },
      ],
    });
    expect(shifted).toEqual([
      { topic, partition: 0, offset: 7n, previousOffset: 10n },
      { topic, partition: 1, offset: 1n, previousOffset: 4n },
    ]);
    const clamped = await admin.resetGroupOffsets(groupId, {
      to: { shiftBy: -100n },
      partitions: [{ topic, partition: 0 }],
    });
    expect(clamped[0]).toMatchObject({ offset: 0n, previousOffset: 7n });
    const byTime = await admin.resetGroupOffsets(groupId, {
      to: { timestamp: start + 4500 },
      partitions: [{ topic, partition: 0 }],
    });
    expect(byTime[0]).toMatchObject({ offset: 5n, previousOffset: 0n });
    const toOffset = await admin.resetGroupOffsets(groupId, {
      to: { offset: 6n },
      partitions: [{ topic, partition: 0 }],
    });
    expect(toOffset[0]).toMatchObject({ offset: 6n, previousOffset: 5n });
    expect(await offsetOf(0)).toBe(6n);

    const deleted = await admin.deleteGroupOffsets(groupId, [
      { topic, partition: 1 },
      { topic, partition: 9 },
    ]);
    expect(deleted[0]).toEqual({ topic, partition: 1 });
    expect(deleted[1]?.error).toBeInstanceOf(UnknownTopicOrPartitionError);
    expect(await offsetOf(1)).toBeNull();

    await expect(admin.resetGroupOffsets(groupId, { to: 'nowhere' as never })).rejects.toBeInstanceOf(
      InvalidArgumentError,
    );

    // A classic member consuming the topic: commits without its member id and deleting its offsets fail.
    await joinClassicGroup(cluster, groupId, [topic], [{ topic, partitions: [0, 1, 2] }]);
    const refused = await admin.alterGroupOffsets(groupId, [{ topic, partition: 0, offset: 1n }]);
    expect(refused[0]?.error).toBeInstanceOf(UnknownMemberIdError);
    const subscribed = await admin.deleteGroupOffsets(groupId, [{ topic, partition: 0 }]);
    expect(subscribed[0]?.error).toBeInstanceOf(GroupSubscribedToTopicError);
    await expect(
      admin.deleteGroupOffsets(uniqueName('admin-group-ghost'), [{ topic, partition: 0 }]),
    ).rejects.toBeInstanceOf(GroupIdNotFoundError);
  });

  it('removes members (one, unknown ones, all) and deletes groups, failing a non-empty and an unknown one alone', async () => {
    const groupId = uniqueName('admin-group-members');
    const first = await joinClassicGroup(cluster, groupId, [topic], [{ topic, partitions: [0] }], 60_000, 'static-1');
    const removed = await admin.removeGroupMembers(
      groupId,
      [{ groupInstanceId: 'static-1' }, { memberId: 'no-such-member' }],
      { reason: 'admin test' },
    );
    expect(removed[0]).toEqual({ memberId: '', groupInstanceId: 'static-1' });
    expect(first.memberId).not.toBe('');
    expect(removed[1]?.error).toBeInstanceOf(UnknownMemberIdError);
    await eventually(async () => {
      const [group] = await admin.describeGroups([groupId]);
      expect(described(group).members).toEqual([]);
    });

    const again = await joinClassicGroup(cluster, groupId, [topic], [{ topic, partitions: [0] }]);
    const all = await admin.removeGroupMembers(groupId, 'all');
    expect(all).toEqual([{ memberId: again.memberId, groupInstanceId: null }]);
    expect(await admin.removeGroupMembers(groupId, 'all')).toEqual([]);

    const busy = uniqueName('admin-group-busy');
    const modern = await joinConsumerGroup(cluster, busy, [topic]);
    try {
      const unknown = uniqueName('admin-group-unknown');
      const results = await admin.deleteGroups([groupId, busy, unknown]);
      expect(results[0]).toEqual({ groupId });
      expect(results[1]?.error).toBeInstanceOf(NonEmptyGroupError);
      expect(results[2]?.error).toBeInstanceOf(GroupIdNotFoundError);
      const [gone] = await admin.describeGroups([groupId]);
      expect(gone?.error).toBeInstanceOf(GroupIdNotFoundError);

      // A KIP-848 member can be removed too: the coordinator fences it, and its next heartbeat learns so.
      const removedModern = await admin.removeGroupMembers(busy, 'all');
      expect(removedModern).toEqual([{ memberId: modern.memberId, groupInstanceId: null }]);
      const [emptied] = await admin.describeGroups([busy]);
      expect(described(emptied).members).toEqual([]);
      expect([25, 110]).toContain((await modern.heartbeat()).errorCode); // UNKNOWN_MEMBER_ID or FENCED_MEMBER_EPOCH
    } finally {
      await modern.leave();
    }
  });
});
