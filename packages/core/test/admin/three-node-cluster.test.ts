import { type KafkaCluster, startCluster, uniqueName } from '@vltava/kafka-harness/vitest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Admin, type TopicDescription, unwrapResults } from '../../src/admin/index.js';
import type { Cluster } from '../../src/cluster/cluster.js';
import {
  ClusterAuthorizationFailedError,
  ElectionNotNeededError,
  UnknownTopicOrPartitionError,
} from '../../src/errors/index.js';
import { eventually } from './support/eventually.js';
import { closeFixtureClusters, commitOffsets, fixtureCluster, produce } from './support/wire-fixtures.js';

let kafka: KafkaCluster;
let admin: Admin;
let fixtures: Cluster;
let nodes: number[];
const admins: Admin[] = [];

beforeAll(async () => {
  kafka = await startCluster({ nodes: 3, sasl: true, authorizer: true, brokerProperties: { 'broker.rack': 'rack-a' } });
  admin = new Admin({ brokers: [...kafka.brokers], clientId: 'admin-3-nodes', logLevel: 'silent' });
  admins.push(admin);
  fixtures = fixtureCluster(kafka.brokers);
  nodes = (await admin.describeCluster()).brokers.map((b) => b.nodeId);
});
afterAll(async () => {
  for (const a of admins) await a.close();
  closeFixtureClusters();
  await kafka?.stop();
});

/** Java's `String.hashCode`, made non-negative as Kafka's `Utils.abs` does (`Math.abs`, and 0 for MIN_VALUE). */
function javaHashCode(text: string): number {
  let hash = 0;
  for (let i = 0; i < text.length; i++) hash = (Math.imul(31, hash) + text.charCodeAt(i)) | 0;
  return hash === -2147483648 ? 0 : Math.abs(hash);
}

async function fullyReplicated(topic: string): Promise<TopicDescription> {
  return eventually(async () => {
    const [described] = unwrapResults(await admin.describeTopics([topic]));
    for (const p of described!.partitions) expect([...p.isr].sort()).toEqual([...p.replicas].sort());
    return described!;
  }, 30_000);
}

describe('Admin against a three-node cluster', () => {
  it('describes three brokers and a three-voter quorum, and routes requests to each leader and each broker', async () => {
    expect(nodes).toHaveLength(3);
    const cluster = await admin.describeCluster();
    expect(cluster.clusterId).toBe(kafka.clusterId);
    expect(cluster.brokers.map((b) => b.rack)).toEqual(['rack-a', 'rack-a', 'rack-a']);
    expect(cluster.brokers.map((b) => `${b.host}:${b.port}`).sort()).toEqual([...kafka.brokers].sort());
    expect(nodes).toContain(cluster.controller?.nodeId);
    const quorum = await admin.describeQuorum();
    expect(quorum.voters.map((v) => v.replicaId).sort()).toEqual(nodes);
    expect(nodes).toContain(quorum.leaderId);

    const [a, b, c] = nodes as [number, number, number];
    const topic = uniqueName('admin-3n');
    const replicated = uniqueName('admin-3n-rf');
    const [created, byFactor] = await admin.createTopics(
      [
        {
          topic,
          assignments: [
            [a, b, c],
            [b, c, a],
            [c, a, b],
          ],
        },
        { topic: replicated, numPartitions: 4, replicationFactor: 3 },
      ],
      { waitForMetadata: true },
    );
    if (created?.error) throw created.error;
    expect(created?.replicationFactor).toBe(3);
    expect(byFactor).toMatchObject({ numPartitions: 4, replicationFactor: 3 });
    const spread = await fullyReplicated(replicated);
    for (const p of spread.partitions) expect([...p.replicas].sort()).toEqual(nodes);
    // The controller spreads preferred leaders over the brokers.
    expect(new Set(spread.partitions.map((p) => p.replicas[0])).size).toBeGreaterThan(1);
    const described = await fullyReplicated(topic);
    expect(described.partitions.map((p) => p.leader)).toEqual([a, b, c]);

    for (const partition of [0, 1, 2]) {
      await produce(
        fixtures,
        topic,
        partition,
        Array.from({ length: partition + 1 }, (_, i) => ({ value: `${i}` })),
      );
    }
    const ends = await admin.listOffsets([0, 1, 2].map((partition) => ({ topic, partition, spec: 'latest' as const })));
    expect(ends.map((e) => (e.error ? e.error : e.offset))).toEqual([1n, 2n, 3n]);

    const logDirs = await admin.describeLogDirs(undefined, { topics: [topic] });
    expect(logDirs.map((r) => r.brokerId)).toEqual(nodes);
    for (const result of unwrapResults(logDirs)) {
      expect(result.logDirs.flatMap((d) => d.replicas.map((r) => r.partition)).sort()).toEqual([0, 1, 2]);
    }

    // Groups live on the leaders of their __consumer_offsets partitions (Java's String.hashCode of the id, modulo
    // the partition count). Pick one group per leader: listGroups must ask every broker to find them all.
    const first = uniqueName('admin-3n-group');
    await commitOffsets(fixtures, first, [{ topic, partition: 0, offset: 1n }]);
    const [offsets] = unwrapResults(await admin.describeTopics(['__consumer_offsets']));
    const leaderOf = (groupId: string) =>
      offsets!.partitions[javaHashCode(groupId) % offsets!.partitions.length]!.leader;
    const byLeader = new Map<number | null, string>();
    for (let i = 0; byLeader.size < new Set(offsets!.partitions.map((p) => p.leader)).size && i < 1000; i++) {
      const candidate = uniqueName('admin-3n-group');
      if (!byLeader.has(leaderOf(candidate))) byLeader.set(leaderOf(candidate), candidate);
    }
    expect(byLeader.size).toBeGreaterThan(1);
    const groups = [...byLeader.values()];
    for (const groupId of groups) await commitOffsets(fixtures, groupId, [{ topic, partition: 0, offset: 1n }]);
    const listed = new Set((await admin.listGroups()).map((g) => g.groupId));
    for (const groupId of groups) expect(listed.has(groupId)).toBe(true);
    const coordinators = unwrapResults(await admin.describeGroups(groups)).map((g) => g.coordinator);
    expect(coordinators).toEqual(groups.map(leaderOf));
  });

  it('reorders replicas with a reassignment, then elects the preferred leader, failing partitions that need none', async () => {
    const [a, b, c] = nodes as [number, number, number];
    const topic = uniqueName('admin-3n-elect');
    unwrapResults(
      await admin.createTopics(
        [
          {
            topic,
            assignments: [
              [a, b, c],
              [b, c, a],
            ],
          },
        ],
        { waitForMetadata: true },
      ),
    );
    await fullyReplicated(topic);

    // Same replicas, another order: nothing moves, the leader stays, but the preferred leader is now b.
    const moved = await admin.alterPartitionReassignments([
      { topic, partition: 0, replicas: [b, a, c] },
      { topic, partition: 7, replicas: [a, b, c] },
    ]);
    expect(moved[0]).toEqual({ topic, partition: 0 });
    expect(moved[1]?.error).toBeInstanceOf(UnknownTopicOrPartitionError);
    await eventually(async () => {
      const [d] = unwrapResults(await admin.describeTopics([topic]));
      expect(d?.partitions[0]).toMatchObject({ replicas: [b, a, c], leader: a });
      expect(await admin.listPartitionReassignments([{ topic, partition: 0 }])).toEqual([]);
    });

    const elected = await admin.electLeaders('preferred', [
      { topic, partition: 0 },
      { topic, partition: 1 },
      { topic, partition: 9 },
    ]);
    expect(elected[0]).toEqual({ topic, partition: 0 });
    expect(elected[1]?.error).toBeInstanceOf(ElectionNotNeededError);
    expect(elected[2]?.error).toBeInstanceOf(UnknownTopicOrPartitionError);
    await eventually(async () => {
      const [d] = unwrapResults(await admin.describeTopics([topic]));
      expect(d?.partitions[0]?.leader).toBe(b);
    });

    const unclean = await admin.electLeaders('unclean', [{ topic, partition: 1 }]);
    expect(unclean[0]?.error).toBeInstanceOf(ElectionNotNeededError);
    const everywhere = await admin.electLeaders('preferred', null);
    expect(everywhere.every((r) => r.error === undefined)).toBe(true);
  });

  it('refuses ACL changes to a user without cluster permission, per ACL and per filter', async () => {
    // Once an ACL exists on the cluster resource, "allow everyone if no ACL is found" no longer covers it.
    unwrapResults(
      await admin.createAcls([
        {
          resourceType: 'cluster',
          resourceName: 'kafka-cluster',
          principal: 'User:bob',
          operation: 'describe',
          permission: 'allow',
        },
      ]),
    );
    const alice = kafka.sasl!.users.find((u) => u.username === 'alice')!;
    const asAlice = new Admin({
      brokers: [...kafka.sasl!.brokers],
      logLevel: 'silent',
      sasl: { mechanism: 'SCRAM-SHA-256', username: alice.username, password: alice.password },
    });
    admins.push(asAlice);
    const topic = uniqueName('admin-3n-acl');
    await eventually(async () => {
      const results = await asAlice.createAcls([
        { resourceType: 'topic', resourceName: topic, principal: 'User:alice', operation: 'read', permission: 'allow' },
        { resourceType: 'group', resourceName: topic, principal: 'User:alice', operation: 'read', permission: 'allow' },
      ]);
      expect(results.map((r) => r.error?.constructor)).toEqual([
        ClusterAuthorizationFailedError,
        ClusterAuthorizationFailedError,
      ]);
    });
    await expect(asAlice.describeAcls()).rejects.toBeInstanceOf(ClusterAuthorizationFailedError);
    const [deleted] = await asAlice.deleteAcls([{ resourceType: 'cluster' }]);
    expect(deleted?.error).toBeInstanceOf(ClusterAuthorizationFailedError);
    // Nothing alice asked for was created.
    await eventually(async () => {
      const acls = await admin.describeAcls();
      expect(acls.some((acl) => acl.principal === 'User:bob' && acl.resourceType === 'cluster')).toBe(true);
      expect(acls.some((acl) => acl.resourceName === topic)).toBe(false);
    });
  });

  it('lists an ongoing reassignment that cannot finish, and cancels it', async () => {
    const quorum = await admin.describeQuorum();
    // Two brokers that are not the quorum leader: one keeps the replica, the other goes down.
    const [a, down] = nodes.filter((n) => n !== quorum.leaderId) as [number, number];
    const topic = uniqueName('admin-3n-move');
    unwrapResults(await admin.createTopics([{ topic, assignments: [[a]] }], { waitForMetadata: true }));
    await produce(fixtures, topic, 0, [{ value: 'data' }]);

    // The new replica's broker is down: it can never catch up, so the reassignment stays in progress.
    await kafka.killNode(down);
    const [started] = await admin.alterPartitionReassignments([{ topic, partition: 0, replicas: [a, down] }]);
    expect(started).toEqual({ topic, partition: 0 });
    const ongoing = await eventually(async () => {
      const list = await admin.listPartitionReassignments();
      expect(list.find((r) => r.topic === topic)).toBeDefined();
      return list;
    });
    expect(ongoing.filter((r) => r.topic === topic)).toEqual([
      { topic, partition: 0, replicas: [a, down], addingReplicas: [down], removingReplicas: [] },
    ]);
    expect(await admin.listPartitionReassignments([{ topic, partition: 0 }])).toEqual(
      ongoing.filter((r) => r.topic === topic),
    );

    const [cancelled] = await admin.alterPartitionReassignments([{ topic, partition: 0, replicas: null }]);
    expect(cancelled).toEqual({ topic, partition: 0 });
    await eventually(async () => {
      expect(await admin.listPartitionReassignments([{ topic, partition: 0 }])).toEqual([]);
      const [d] = unwrapResults(await admin.describeTopics([topic]));
      expect(d?.partitions[0]?.replicas).toEqual([a]);
    });
  });
});
