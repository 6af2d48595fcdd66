/**
 * Minimal protocol clients for the admin suites: just enough producing, committing, group membership and
 * transactions, through the cluster layer, to give the admin client something real to inspect. Not a producer or
 * a consumer: no batching, no retries beyond what a fixture needs.
 */
import { randomUUID } from 'node:crypto';
import { resolveClientOptions } from '../../../src/cluster/client-options.js';
import { Cluster, CoordinatorType } from '../../../src/cluster/cluster.js';
import { createBrokerError, isKafkaError } from '../../../src/errors/index.js';
import type { Connection } from '../../../src/network/connection.js';
import {
  AddPartitionsToTxn,
  ConsumerGroupHeartbeat,
  encodeConsumerProtocolAssignment,
  encodeConsumerProtocolSubscription,
  InitProducerId,
  JoinGroup,
  OffsetCommit,
  Produce,
  SyncGroup,
} from '../../../src/protocol/messages/generated/index.js';
import { Writer } from '../../../src/protocol/primitives/writer.js';
import { loadRecordCodecs } from '../../../src/protocol/records/index.js';
import { RecordBatchBuilder } from '../../../src/protocol/records/record-batch-builder.js';
import { delay } from '../../../src/utils/delay.js';

const clusters: Cluster[] = [];

/** A cluster-layer client for fixtures; closed by {@link closeFixtureClusters}. */
export function fixtureCluster(brokers: readonly string[], extra: Record<string, unknown> = {}): Cluster {
  const cluster = new Cluster(
    resolveClientOptions({ brokers, clientId: 'admin-fixture', logLevel: 'silent', ...extra }),
  );
  clusters.push(cluster);
  return cluster;
}

/** Closes every fixture cluster (call in `afterAll`). */
export function closeFixtureClusters(): void {
  for (const cluster of clusters.splice(0)) cluster.close();
}

/** A record to produce. */
export interface FixtureRecord {
  readonly value: string;
  readonly key?: string;
  readonly timestamp?: number;
}

/** Transactional producer state for {@link produce}. */
export interface FixtureTransaction {
  readonly transactionalId: string;
  readonly producerId: bigint;
  readonly producerEpoch: number;
}

let codecsLoaded: Promise<void> | undefined;

/** Produces one batch to a partition's leader (acks=-1) and resolves with its base offset. */
export async function produce(
  cluster: Cluster,
  topic: string,
  partition: number,
  records: readonly FixtureRecord[],
  transaction?: FixtureTransaction,
): Promise<bigint> {
  codecsLoaded ??= loadRecordCodecs();
  await codecsLoaded;
  const builder = new RecordBatchBuilder();
  const now = Date.now();
  for (const record of records) builder.append(record.timestamp ?? now, record.key ?? null, record.value);
  const batch = await builder.build(
    transaction === undefined
      ? {}
      : {
          producerId: transaction.producerId,
          producerEpoch: transaction.producerEpoch,
          baseSequence: 0,
          isTransactional: true,
        },
  );
  // Like a producer, retry while the partition's leadership settles (a new topic's leader may answer
  // NOT_LEADER_OR_FOLLOWER for a moment after metadata names it).
  const deadline = Date.now() + 30_000;
  for (let attempt = 0; ; attempt++) {
    try {
      const info = await cluster.topicMetadata(topic, 15_000);
      const leader = info.partitions[partition]?.leader ?? -1;
      if (leader < 0) throw createBrokerError(5, { topic, partition, api: 'Metadata' });
      const connection = await cluster.connection(leader);
      const response = await connection.send(Produce, {
        transactionalId: transaction?.transactionalId ?? null,
        acks: -1,
        timeoutMs: 10_000,
        topicData: [{ name: topic, topicId: info.topicId, partitionData: [{ index: partition, records: batch }] }],
      });
      const answer = response.responses[0]?.partitionResponses[0];
      if (answer === undefined) throw new Error('fixture: empty Produce response');
      if (answer.errorCode !== 0) throw createBrokerError(answer.errorCode, { topic, partition, api: 'Produce' });
      return answer.baseOffset;
    } catch (error) {
      if (!isKafkaError(error) || !error.retriable || Date.now() > deadline) throw error;
      await cluster.refreshMetadata();
      await delay(cluster.retryDelay(attempt));
    }
  }
}

/** Commits offsets for a group as an admin would (no member, generation -1); the group must have no members. */
export async function commitOffsets(
  cluster: Cluster,
  groupId: string,
  offsets: ReadonlyArray<{ topic: string; partition: number; offset: bigint; metadata?: string }>,
): Promise<void> {
  const byTopic = new Map<
    string,
    Array<{ partitionIndex: number; committedOffset: bigint; committedMetadata: string | null }>
  >();
  for (const o of offsets) {
    const list = byTopic.get(o.topic) ?? [];
    list.push({ partitionIndex: o.partition, committedOffset: o.offset, committedMetadata: o.metadata ?? null });
    byTopic.set(o.topic, list);
  }
  await onCoordinator(cluster, CoordinatorType.group, groupId, async (connection) => {
    const response = await connection.send(
      OffsetCommit,
      {
        groupId,
        generationIdOrMemberEpoch: -1,
        memberId: '',
        topics: [...byTopic].map(([name, partitions]) => ({ name, partitions })),
      },
      { maxVersion: 9 },
    );
    for (const topic of response.topics) {
      for (const p of topic.partitions) {
        if (p.errorCode !== 0)
          throw createBrokerError(p.errorCode, { groupId, topic: topic.name, api: 'OffsetCommit' });
      }
    }
  });
}

/** A member of a classic consumer group, joined and synced as leader with every partition of its topics. */
export interface ClassicMember {
  readonly groupId: string;
  readonly memberId: string;
  readonly generationId: number;
  readonly clientId: string;
}

/**
 * Joins a classic group (protocol type `consumer`, assignor `range`) as its only member, and assigns it
 * `assignment`. The member stays until its session times out (`sessionTimeoutMs`) or is removed.
 */
export async function joinClassicGroup(
  cluster: Cluster,
  groupId: string,
  topics: readonly string[],
  assignment: ReadonlyArray<{ topic: string; partitions: number[] }>,
  sessionTimeoutMs = 60_000,
  groupInstanceId: string | null = null,
): Promise<ClassicMember> {
  return onCoordinator(cluster, CoordinatorType.group, groupId, (connection) =>
    joinClassicOn(connection, groupId, topics, assignment, sessionTimeoutMs, groupInstanceId),
  );
}

async function joinClassicOn(
  connection: Connection,
  groupId: string,
  topics: readonly string[],
  assignment: ReadonlyArray<{ topic: string; partitions: number[] }>,
  sessionTimeoutMs: number,
  groupInstanceId: string | null,
): Promise<ClassicMember> {
  const subscription = new Writer();
  subscription.writeInt16(3);
  encodeConsumerProtocolSubscription(subscription, 3, { topics, userData: null, rackId: null });
  const join = (memberId: string) =>
    connection.send(
      JoinGroup,
      {
        groupId,
        sessionTimeoutMs,
        rebalanceTimeoutMs: 10_000,
        memberId,
        groupInstanceId,
        protocolType: 'consumer',
        protocols: [{ name: 'range', metadata: subscription.toBuffer() }],
      },
      { timeoutMs: 30_000 },
    );
  let response = await join('');
  if (response.errorCode === 79) response = await join(response.memberId); // MEMBER_ID_REQUIRED
  if (response.errorCode !== 0) throw createBrokerError(response.errorCode, { groupId, api: 'JoinGroup' });
  const encoded = new Writer();
  encoded.writeInt16(3);
  encodeConsumerProtocolAssignment(encoded, 3, { assignedPartitions: assignment, userData: null });
  const sync = await connection.send(SyncGroup, {
    groupId,
    generationId: response.generationId,
    memberId: response.memberId,
    groupInstanceId,
    protocolType: 'consumer',
    protocolName: 'range',
    assignments: [{ memberId: response.memberId, assignment: encoded.toBuffer() }],
  });
  if (sync.errorCode !== 0) throw createBrokerError(sync.errorCode, { groupId, api: 'SyncGroup' });
  return { groupId, memberId: response.memberId, generationId: response.generationId, clientId: 'admin-fixture' };
}

/** A member of a KIP-848 consumer group. */
export interface ConsumerMember {
  readonly groupId: string;
  readonly memberId: string;
  memberEpoch: number;
  /** Sends a heartbeat (keeps the member alive, reports its epoch). */
  heartbeat(): Promise<{ errorCode: number; assignedTopicIds: string[] }>;
  /** Leaves the group (heartbeat with epoch -1). */
  leave(): Promise<void>;
}

/** Joins a KIP-848 consumer group (ConsumerGroupHeartbeat with epoch 0) subscribed to `topics`. */
export async function joinConsumerGroup(
  cluster: Cluster,
  groupId: string,
  topics: readonly string[],
): Promise<ConsumerMember> {
  return onCoordinator(cluster, CoordinatorType.group, groupId, (c) => joinConsumerOn(c, groupId, topics));
}

async function joinConsumerOn(
  connection: Connection,
  groupId: string,
  topics: readonly string[],
): Promise<ConsumerMember> {
  const memberId = randomUUID().replaceAll('-', '').slice(0, 22);
  const first = await connection.send(ConsumerGroupHeartbeat, {
    groupId,
    memberId,
    memberEpoch: 0,
    rebalanceTimeoutMs: 30_000,
    subscribedTopicNames: topics,
    topicPartitions: [],
  });
  if (first.errorCode !== 0) throw createBrokerError(first.errorCode, { groupId, api: 'ConsumerGroupHeartbeat' });
  const member: ConsumerMember = {
    groupId,
    memberId: first.memberId ?? memberId,
    memberEpoch: first.memberEpoch,
    async heartbeat() {
      const response = await connection.send(ConsumerGroupHeartbeat, {
        groupId,
        memberId: member.memberId,
        memberEpoch: member.memberEpoch,
      });
      if (response.errorCode === 0) member.memberEpoch = response.memberEpoch;
      return {
        errorCode: response.errorCode,
        assignedTopicIds: response.assignment?.topicPartitions.map((t) => t.topicId) ?? [],
      };
    },
    async leave() {
      await connection.send(ConsumerGroupHeartbeat, { groupId, memberId: member.memberId, memberEpoch: -1 });
    },
  };
  return member;
}

/**
 * Starts a transaction that wrote `records` to a partition and stays open: InitProducerId, AddPartitionsToTxn
 * (v3, as clients send it), then a transactional Produce.
 */
export async function openTransaction(
  cluster: Cluster,
  transactionalId: string,
  topic: string,
  partition: number,
  records: readonly FixtureRecord[],
  transactionTimeoutMs = 60_000,
): Promise<FixtureTransaction & { baseOffset: bigint }> {
  const { connection, init } = await onCoordinator(cluster, CoordinatorType.transaction, transactionalId, async (c) => {
    const answer = await c.send(InitProducerId, { transactionalId, transactionTimeoutMs }, { maxVersion: 5 });
    if (answer.errorCode !== 0) {
      throw createBrokerError(answer.errorCode, { groupId: transactionalId, api: 'InitProducerId' });
    }
    return { connection: c, init: answer };
  });
  const add = await connection.send(
    AddPartitionsToTxn,
    {
      v3AndBelowTransactionalId: transactionalId,
      v3AndBelowProducerId: init.producerId,
      v3AndBelowProducerEpoch: init.producerEpoch,
      v3AndBelowTopics: [{ name: topic, partitions: [partition] }],
    },
    { maxVersion: 3 },
  );
  for (const result of add.resultsByTopicV3AndBelow) {
    for (const p of result.resultsByPartition) {
      if (p.partitionErrorCode !== 0) {
        throw createBrokerError(p.partitionErrorCode, { topic, partition, api: 'AddPartitionsToTxn' });
      }
    }
  }
  const transaction = { transactionalId, producerId: init.producerId, producerEpoch: init.producerEpoch };
  const baseOffset = await produce(cluster, topic, partition, records, transaction);
  return { ...transaction, baseOffset };
}

/**
 * Runs a fixture step against a group or transaction coordinator, again while the coordinator is loading or moved
 * (a fresh broker loads its coordinator partitions in the background), for at most 30 s.
 */
async function onCoordinator<T>(
  cluster: Cluster,
  type: CoordinatorType,
  key: string,
  step: (connection: Connection) => Promise<T>,
): Promise<T> {
  const deadline = Date.now() + 30_000;
  for (let attempt = 0; ; attempt++) {
    try {
      return await step(await coordinator(cluster, type, key));
    } catch (error) {
      if (!isKafkaError(error) || !error.coordinatorMoved || Date.now() > deadline) throw error;
      cluster.invalidateCoordinator(type, key);
      await delay(cluster.retryDelay(attempt));
    }
  }
}

async function coordinator(cluster: Cluster, type: CoordinatorType, key: string): Promise<Connection> {
  const broker = await cluster.findCoordinator(type, key, 30_000);
  return cluster.connection(broker.nodeId);
}
