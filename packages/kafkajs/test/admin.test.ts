import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type Admin,
  AssignerProtocol,
  ConfigResourceTypes,
  ConfigSource,
  KafkaJSAggregateError,
  KafkaJSCreateTopicError,
  KafkaJSDeleteGroupsError,
  KafkaJSNonRetriableError,
  type Producer,
} from '../src/index.js';
import { committedOffsets, createTopic, kafka, readTopic, uniqueName, waitFor } from './support.js';

describe('admin against the broker', () => {
  const client = kafka();
  let admin: Admin;
  let producer: Producer;
  beforeAll(async () => {
    admin = client.admin();
    await admin.connect();
    producer = client.producer();
    await producer.connect();
  });
  afterAll(async () => {
    await producer.disconnect();
    await admin.disconnect();
  });

  it('creates topics (true), reports existing ones (false), lists, describes, adds partitions and deletes', async () => {
    const topic = uniqueName('kjs-admin');
    expect(
      await admin.createTopics({
        topics: [{ topic, numPartitions: 2, configEntries: [{ name: 'cleanup.policy', value: 'compact' }] }],
      }),
    ).toBe(true);
    expect(await admin.createTopics({ topics: [{ topic, numPartitions: 2 }] })).toBe(false);
    expect(await admin.listTopics()).toContain(topic);
    const { topics } = await admin.fetchTopicMetadata({ topics: [topic] });
    expect(topics).toHaveLength(1);
    expect(topics[0]!.name).toBe(topic);
    expect(topics[0]!.partitions.map((p) => p.partitionId).sort()).toEqual([0, 1]);
    expect(topics[0]!.partitions[0]).toMatchObject({ partitionErrorCode: 0, replicas: [expect.any(Number)] });
    expect(await admin.createPartitions({ topicPartitions: [{ topic, count: 4 }] })).toBe(true);
    await waitFor(
      async () => (await admin.fetchTopicMetadata({ topics: [topic] })).topics[0]!.partitions.length === 4,
      'four partitions',
    );
    await admin.deleteTopics({ topics: [topic] });
    await waitFor(async () => !(await admin.listTopics()).includes(topic), 'topic deleted');
  });

  it('reports a failed creation as KafkaJS does: an aggregate of KafkaJSCreateTopicError', async () => {
    const error = await admin
      .createTopics({ topics: [{ topic: uniqueName('kjs-bad'), numPartitions: 1, replicationFactor: 9 }] })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(KafkaJSAggregateError);
    const [first] = (error as KafkaJSAggregateError).errors;
    expect(first).toBeInstanceOf(KafkaJSCreateTopicError);
    expect((first as KafkaJSCreateTopicError).type).toBe('INVALID_REPLICATION_FACTOR');
    await expect(admin.createTopics({ topics: [{ topic: 'a' }, { topic: 'a' }] })).rejects.toThrow(
      'Invalid topics array, it cannot have multiple entries for the same topic',
    );
  });

  it('fetches topic offsets (low, high) and offsets by timestamp', async () => {
    const topic = uniqueName('kjs-offsets');
    await createTopic(admin, topic, 2);
    await producer.send({
      topic,
      messages: [
        { value: 'a', partition: 0, timestamp: '1000' },
        { value: 'b', partition: 0, timestamp: '2000' },
        { value: 'c', partition: 0, timestamp: '3000' },
      ],
    });
    expect(await admin.fetchTopicOffsets(topic)).toEqual([
      { partition: 0, offset: '3', high: '3', low: '0' },
      { partition: 1, offset: '0', high: '0', low: '0' },
    ]);
    expect(await admin.fetchTopicOffsetsByTimestamp(topic, 1500)).toEqual([
      { partition: 0, offset: '1' },
      { partition: 1, offset: '0' },
    ]);
    await admin.deleteTopicRecords({ topic, partitions: [{ partition: 0, offset: '2' }] });
    expect((await admin.fetchTopicOffsets(topic))[0]).toMatchObject({ low: '2', high: '3' });
    expect((await readTopic(topic)).map((m) => m.value)).toEqual(['c']);
  });

  it('sets, fetches and resets a group offsets; refuses while the group runs', async () => {
    const topic = uniqueName('kjs-group-offsets');
    await createTopic(admin, topic, 2);
    await producer.send({
      topic,
      messages: Array.from({ length: 6 }, (_, i) => ({ value: `${i}`, partition: i % 2 })),
    });
    const groupId = uniqueName('g');
    await admin.setOffsets({ groupId, topic, partitions: [{ partition: 0, offset: '1' }] });
    expect(await admin.fetchOffsets({ groupId, topics: [topic] })).toEqual([
      {
        topic,
        partitions: [
          { partition: 0, offset: '1', metadata: null },
          { partition: 1, offset: '-1', metadata: null },
        ],
      },
    ]);
    await admin.resetOffsets({ groupId, topic, earliest: false });
    // The actual end offsets are committed, not KafkaJS's -1 marker.
    expect(await committedOffsets(groupId, topic)).toEqual(
      new Map([
        [0, 3n],
        [1, 3n],
      ]),
    );
    await admin.resetOffsets({ groupId, topic, earliest: true });
    expect((await admin.fetchOffsets({ groupId, topics: [topic] }))[0]!.partitions.map((p) => p.offset)).toEqual([
      '0',
      '0',
    ]);
    const consumer = client.consumer({ groupId, maxWaitTimeInMs: 100 });
    await consumer.subscribe({ topics: [topic] });
    await consumer.run({ eachMessage: async () => {} });
    await expect(admin.setOffsets({ groupId, topic, partitions: [{ partition: 0, offset: '0' }] })).rejects.toThrow(
      /The consumer group must have no running instances, current state: Stable/,
    );
    await consumer.disconnect();
  });

  it('lists, describes and deletes groups', async () => {
    const topic = uniqueName('kjs-groups');
    await createTopic(admin, topic, 1);
    const groupId = uniqueName('g');
    const consumer = client.consumer({ groupId, maxWaitTimeInMs: 100 });
    await consumer.subscribe({ topics: [topic] });
    await consumer.run({ eachMessage: async () => {} });
    const { groups } = await admin.listGroups();
    expect(groups).toContainEqual({ groupId, protocolType: 'consumer' });
    const described = await admin.describeGroups([groupId, uniqueName('missing')]);
    expect(described.groups[0]).toMatchObject({ groupId, state: 'Stable', protocol: 'RoundRobinAssigner' });
    expect(
      AssignerProtocol.MemberAssignment.decode(described.groups[0]!.members[0]!.memberAssignment)?.assignment,
    ).toEqual({
      [topic]: [0],
    });
    expect(described.groups[1]!.state).toBe('Dead');
    const busy = await admin.deleteGroups([groupId]).catch((e: unknown) => e);
    expect(busy).toBeInstanceOf(KafkaJSDeleteGroupsError);
    expect((busy as KafkaJSDeleteGroupsError).groups[0]).toMatchObject({ groupId, errorCode: 68 });
    await consumer.disconnect();
    expect(await admin.deleteGroups([groupId])).toEqual([{ groupId, errorCode: 0 }]);
  });

  it('describes and alters configurations with KafkaJS numbers for types and sources', async () => {
    const topic = uniqueName('kjs-configs');
    await createTopic(admin, topic, 1);
    await admin.alterConfigs({
      validateOnly: false,
      resources: [
        { type: ConfigResourceTypes.TOPIC, name: topic, configEntries: [{ name: 'retention.ms', value: '86400000' }] },
      ],
    });
    const described = await admin.describeConfigs({
      includeSynonyms: false,
      resources: [{ type: ConfigResourceTypes.TOPIC, name: topic, configNames: ['retention.ms', 'cleanup.policy'] }],
    });
    expect(described.resources).toHaveLength(1);
    const entries = new Map(described.resources[0]!.configEntries.map((e) => [e.configName, e]));
    expect(entries.get('retention.ms')).toMatchObject({
      configValue: '86400000',
      isDefault: false,
      configSource: ConfigSource.TOPIC_CONFIG,
      readOnly: false,
    });
    expect(entries.get('cleanup.policy')?.isDefault).toBe(true);
    const cluster = await admin.describeCluster();
    expect(cluster.brokers.length).toBeGreaterThan(0);
    expect(typeof cluster.clusterId).toBe('string');
    const broker = await admin.describeConfigs({
      includeSynonyms: true,
      resources: [
        {
          type: ConfigResourceTypes.BROKER,
          name: String(cluster.brokers[0]!.nodeId),
          configNames: ['log.retention.hours'],
        },
      ],
    });
    expect(broker.resources[0]!.configEntries[0]!.configName).toBe('log.retention.hours');
    await expect(admin.describeConfigs({ includeSynonyms: false, resources: [] })).rejects.toThrow(
      'Resources array cannot be empty',
    );
  });

  it('lists partition reassignments (none in progress) and validates reassignment requests', async () => {
    const topic = uniqueName('kjs-reassign');
    await createTopic(admin, topic, 1);
    expect(await admin.listPartitionReassignments({ topics: [{ topic, partitions: [0] }] })).toEqual({ topics: [] });
    await expect(
      admin.alterPartitionReassignments({
        topics: [{ topic, partitionAssignment: [{ partition: -1, replicas: [1] }] }],
      }),
    ).rejects.toBeInstanceOf(KafkaJSNonRetriableError);
    const [nodeId] = (await admin.describeCluster()).brokers.map((b) => b.nodeId);
    await admin.alterPartitionReassignments({
      topics: [{ topic, partitionAssignment: [{ partition: 0, replicas: [nodeId!] }] }],
    });
  });

  it('emits CONNECT and DISCONNECT', async () => {
    const other = client.admin();
    const events: string[] = [];
    other.on(other.events.CONNECT, (e) => events.push(e.type));
    other.on(other.events.DISCONNECT, (e) => events.push(e.type));
    await other.connect();
    await other.disconnect();
    expect(events).toEqual(['admin.connect', 'admin.disconnect']);
  });
});
