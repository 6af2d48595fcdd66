import { kafkaBrokers, uniqueName } from '@vltava/kafka-harness/vitest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Admin, AdminBatchError, type CreateTopicResult, unwrapResults } from '../../src/admin/index.js';
import { CoordinatorType } from '../../src/cluster/cluster.js';
import {
  AbortedError,
  InvalidArgumentError,
  InvalidPartitionsError,
  InvalidReplicationFactorError,
  InvalidTopicError,
  KafkaError,
  TopicAlreadyExistsError,
  UnknownTopicIdError,
  UnknownTopicOrPartitionError,
} from '../../src/errors/index.js';
import { closeFixtureClusters, fixtureCluster } from './support/wire-fixtures.js';

let admin: Admin;
beforeAll(async () => {
  admin = new Admin({ brokers: kafkaBrokers(), clientId: 'admin-topics-test', logLevel: 'silent' });
  await admin.connect();
});
afterAll(async () => {
  await admin?.close();
  closeFixtureClusters();
});

describe('Admin topics against the real broker', () => {
  it('creates topics with partitions and configs, failing a bad one alone, and describes them', async () => {
    const good = uniqueName('admin-topic');
    const tooManyReplicas = uniqueName('admin-topic-rf');
    const results = await admin.createTopics(
      [
        { topic: good, numPartitions: 3, configs: { 'retention.ms': '3600000', 'cleanup.policy': 'delete' } },
        { topic: tooManyReplicas, numPartitions: 1, replicationFactor: 5 },
      ],
      { waitForMetadata: true },
    );
    expect(results.map((r) => r.topic)).toEqual([good, tooManyReplicas]);
    const [created, refused] = results;
    if (created?.error) throw created.error;
    expect(created?.topicId).toMatch(/^[A-Za-z0-9_-]{22}$/);
    expect(created?.numPartitions).toBe(3);
    expect(created?.replicationFactor).toBe(1);
    const retention = created?.configs?.find((c) => c.name === 'retention.ms');
    expect(retention).toMatchObject({ value: '3600000', source: 'topic', isDefault: false });
    expect(refused?.error).toBeInstanceOf(InvalidReplicationFactorError);
    expect(refused?.error?.topic).toBe(tooManyReplicas);

    const missing = uniqueName('admin-topic-missing');
    const described = await admin.describeTopics([good, missing]);
    expect(described).toHaveLength(2);
    const [found, unknown] = described;
    if (found?.error) throw found.error;
    expect(found?.topicId).toBe(created?.topicId);
    expect(found?.isInternal).toBe(false);
    expect(found?.partitions.map((p) => p.partition)).toEqual([0, 1, 2]);
    for (const p of found?.partitions ?? []) {
      expect(p.leader).toEqual(expect.any(Number));
      expect(p.replicas).toEqual([p.leader]);
      expect(p.isr).toEqual([p.leader]);
      expect(p.leaderEpoch).toBeGreaterThanOrEqual(0);
    }
    expect(unknown?.error).toBeInstanceOf(UnknownTopicOrPartitionError);

    const listed = await admin.listTopics();
    expect(listed.find((t) => t.topic === good)).toEqual({ topic: good, topicId: created?.topicId, isInternal: false });
    expect(listed.some((t) => t.topic === tooManyReplicas)).toBe(false);
    expect(listed.some((t) => t.isInternal)).toBe(false);
  });

  it('lists internal topics on request, and reports authorized operations', async () => {
    const topic = uniqueName('admin-topic-ops');
    unwrapResults(await admin.createTopics([{ topic, numPartitions: 1 }], { waitForMetadata: true }));
    // The group coordinator creates __consumer_offsets on first use (FindCoordinator); make sure it exists.
    await fixtureCluster(kafkaBrokers()).findCoordinator(CoordinatorType.group, uniqueName('admin-topic-group'));
    const all = await admin.listTopics({ includeInternal: true });
    expect(all.some((t) => t.isInternal)).toBe(true);
    const [described] = await admin.describeTopics([topic], { includeAuthorizedOperations: true });
    if (described?.error) throw described.error;
    // The PLAINTEXT listener is a super user: every topic operation is allowed.
    expect(described?.authorizedOperations).toEqual(
      expect.arrayContaining(['read', 'write', 'create', 'delete', 'alter', 'describe', 'describeConfigs']),
    );
    const [plain] = await admin.describeTopics([topic]);
    expect(plain && 'authorizedOperations' in plain).toBe(false);
  });

  it('follows the DescribeTopicPartitions cursor across pages', async () => {
    const topic = uniqueName('admin-topic-pages');
    unwrapResults(await admin.createTopics([{ topic, numPartitions: 7 }], { waitForMetadata: true }));
    const [described] = await admin.describeTopics([topic], { partitionSizeLimitPerResponse: 2 });
    if (described?.error) throw described.error;
    expect(described?.partitions.map((p) => p.partition)).toEqual([0, 1, 2, 3, 4, 5, 6]);
  });

  it('validates without creating, and rejects an existing topic per item', async () => {
    const topic = uniqueName('admin-topic-validate');
    const [validated] = await admin.createTopics([{ topic, numPartitions: 2 }], { validateOnly: true });
    if (validated?.error) throw validated.error;
    expect(validated?.numPartitions).toBe(2);
    const [absent] = await admin.describeTopics([topic]);
    expect(absent?.error).toBeInstanceOf(UnknownTopicOrPartitionError);

    unwrapResults(await admin.createTopics([{ topic, numPartitions: 1 }]));
    const again = await admin.createTopics([{ topic, numPartitions: 1 }]);
    expect(again[0]?.error).toBeInstanceOf(TopicAlreadyExistsError);
    expect(() => unwrapResults(again, 'createTopics')).toThrow(AdminBatchError);
    try {
      unwrapResults(again, 'createTopics');
    } catch (error) {
      expect((error as AdminBatchError<CreateTopicResult>).failures[0]?.topic).toBe(topic);
      expect((error as AdminBatchError).message).toMatch(/1 of 1 items of createTopics failed/);
    }
  });

  it('creates topics with an explicit replica assignment, and fails a contradictory one locally', async () => {
    const probe = uniqueName('admin-topic-probe');
    unwrapResults(await admin.createTopics([{ topic: probe, numPartitions: 1 }], { waitForMetadata: true }));
    const [probed] = unwrapResults(await admin.describeTopics([probe]));
    const node = probed!.partitions[0]!.leader!;

    const assigned = uniqueName('admin-topic-assigned');
    const contradictory = uniqueName('admin-topic-contradictory');
    const results = await admin.createTopics(
      [
        { topic: assigned, assignments: [[node], [node], [node], [node]] },
        { topic: contradictory, assignments: [[node]], numPartitions: 2 },
      ],
      { waitForMetadata: true },
    );
    if (results[0]?.error) throw results[0].error;
    expect(results[0]?.numPartitions).toBe(4);
    expect(results[1]?.error).toBeInstanceOf(InvalidArgumentError);
    const [described] = unwrapResults(await admin.describeTopics([assigned]));
    expect(described?.partitions.map((p) => p.replicas)).toEqual([[node], [node], [node], [node]]);
  });

  it('adds partitions, failing a shrink and an unknown topic per item', async () => {
    const grow = uniqueName('admin-topic-grow');
    const shrink = uniqueName('admin-topic-shrink');
    unwrapResults(
      await admin.createTopics(
        [
          { topic: grow, numPartitions: 1 },
          { topic: shrink, numPartitions: 3 },
        ],
        { waitForMetadata: true },
      ),
    );
    const missing = uniqueName('admin-topic-nope');
    const results = await admin.createPartitions(
      [
        { topic: grow, totalCount: 4 },
        { topic: shrink, totalCount: 2 },
        { topic: missing, totalCount: 2 },
      ],
      { waitForMetadata: true },
    );
    expect(results.map((r) => r.topic)).toEqual([grow, shrink, missing]);
    expect(results[0]?.error).toBeUndefined();
    expect(results[1]?.error).toBeInstanceOf(InvalidPartitionsError);
    expect(results[2]?.error).toBeInstanceOf(UnknownTopicOrPartitionError);
    const [described] = unwrapResults(await admin.describeTopics([grow]));
    expect(described?.partitions).toHaveLength(4);
    expect(described?.partitions.every((p) => p.leader !== null)).toBe(true);

    const [validated] = await admin.createPartitions([{ topic: grow, totalCount: 6 }], { validateOnly: true });
    expect(validated?.error).toBeUndefined();
    const [unchanged] = unwrapResults(await admin.describeTopics([grow]));
    expect(unchanged?.partitions).toHaveLength(4);
  });

  it('deletes topics by name and by id, failing unknown ones per item, and waits until metadata forgets them', async () => {
    const byName = uniqueName('admin-topic-del');
    const byId = uniqueName('admin-topic-delid');
    const created = unwrapResults(
      await admin.createTopics(
        [
          { topic: byName, numPartitions: 1 },
          { topic: byId, numPartitions: 2 },
        ],
        { waitForMetadata: true },
      ),
    );
    const topicId = created[1]!.topicId!;
    const missing = uniqueName('admin-topic-del-missing');
    const results = await admin.deleteTopics([byName, { topicId }, missing, { topicId: 'AAAAAAAAAAAAAAAAAAAAAQ' }], {
      waitForMetadata: true,
    });
    expect(results[0]).toEqual({ topic: byName, topicId: null });
    expect(results[1]).toEqual({ topic: byId, topicId });
    expect(results[2]?.error).toBeInstanceOf(UnknownTopicOrPartitionError);
    expect(results[3]?.error).toBeInstanceOf(UnknownTopicIdError);
    const listed = await admin.listTopics();
    expect(listed.some((t) => t.topic === byName || t.topic === byId)).toBe(false);
  });

  it('rejects a call that cannot reach any broker within its timeout, and an aborted call at once', async () => {
    await using unreachable = new Admin({
      brokers: ['127.0.0.1:1'],
      logLevel: 'silent',
      connectionTimeoutMs: 500,
      reconnectBackoffMs: 20,
      reconnectBackoffMaxMs: 50,
    });
    const started = Date.now();
    const error = await unreachable.listTopics({ timeoutMs: 1500 }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(KafkaError);
    expect((error as KafkaError).retriable).toBe(true);
    expect(Date.now() - started).toBeLessThan(10_000);

    const controller = new AbortController();
    controller.abort(new Error('stop'));
    await expect(admin.listTopics({ signal: controller.signal })).rejects.toBeInstanceOf(AbortedError);
    // Kafka's topic name rules, checked before any request.
    await expect(admin.describeTopics([''])).rejects.toBeInstanceOf(InvalidTopicError);
  });
});
