import type { ListPartitionReassignmentsResponse, PartitionReassignment } from '../admin/admin-types.js';
import type {
  CoreMemberAssignment,
  GroupMemberSubscription,
  PartitionAssignor,
  CoreTopicPartition as TopicPartition,
  TopicPartitionInfo,
} from '../core.js';
import { KafkaJSNotImplemented } from '../errors/errors.js';
import type { Logger } from '../logger/logger.js';
import type { CompressionTypes } from '../producer/compression.js';
import type { Message } from '../producer/message.js';
import { AssignerProtocol } from './assigner-protocol.js';
import type { TopicOffsets, TopicPartitions } from './consumer-types.js';
import { partitionsByTopic } from './partitions-by-topic.js';

/** What KafkaJS tells an assigner about a partition. */
export type PartitionMetadata = {
  partitionErrorCode: number;
  partitionId: number;
  leader: number;
  replicas: number[];
  isr: number[];
  offlineReplicas?: number[];
};

/** A broker and its partitions' leaders, as KafkaJS's metadata reports them. */
export interface BrokerMetadata {
  brokers: Array<{ nodeId: number; host: string; port: number; rack?: string }>;
  topicMetadata: Array<{ topicErrorCode: number; topic: string; partitionMetadata: PartitionMetadata[] }>;
}

/** Versions of each API a broker supports. */
export interface ApiVersions {
  [apiKey: number]: { minVersion: number; maxVersion: number };
}

/** A group's coordinator. */
export interface CoordinatorMetadata {
  errorCode: number;
  coordinator: { nodeId: number; host: string; port: number };
}

/**
 * KafkaJS's connection to one broker, as its `Cluster` hands it out. This package has no such object: the
 * `Cluster` given to partition assigners rejects the calls that would return one (see {@link Cluster}).
 */
export type Broker = {
  isConnected(): boolean;
  connect(): Promise<void>;
  disconnect(): Promise<void>;
  apiVersions(): Promise<ApiVersions>;
  metadata(topics: string[]): Promise<BrokerMetadata>;
  // biome-ignore lint/suspicious/noExplicitAny: KafkaJS's type, kept for compatibility.
  describeGroups: (options: { groupIds: string[] }) => Promise<any>;
  offsetCommit(request: {
    groupId: string;
    groupGenerationId: number;
    memberId: string;
    retentionTime?: number;
    topics: TopicOffsets[];
    // biome-ignore lint/suspicious/noExplicitAny: KafkaJS's type, kept for compatibility.
  }): Promise<any>;
  offsetFetch(request: { groupId: string; topics: TopicOffsets[] }): Promise<{ responses: TopicOffsets[] }>;
  fetch(request: {
    replicaId?: number;
    isolationLevel?: number;
    maxWaitTime?: number;
    minBytes?: number;
    maxBytes?: number;
    topics: Array<{ topic: string; partitions: Array<{ partition: number; fetchOffset: string; maxBytes: number }> }>;
    rackId?: string;
    // biome-ignore lint/suspicious/noExplicitAny: KafkaJS's type, kept for compatibility.
  }): Promise<any>;
  produce(request: {
    topicData: Array<{
      topic: string;
      partitions: Array<{ partition: number; firstSequence?: number; messages: Message[] }>;
    }>;
    transactionalId?: string;
    producerId?: number;
    producerEpoch?: number;
    acks?: number;
    timeout?: number;
    compression?: CompressionTypes;
    // biome-ignore lint/suspicious/noExplicitAny: KafkaJS's type, kept for compatibility.
  }): Promise<any>;
  // biome-ignore lint/suspicious/noExplicitAny: KafkaJS's type, kept for compatibility.
  alterPartitionReassignments(request: { topics: PartitionReassignment[]; timeout?: number }): Promise<any>;
  listPartitionReassignments(request: {
    topics?: TopicPartitions[];
    timeout?: number;
  }): Promise<ListPartitionReassignmentsResponse>;
};

/**
 * The cluster view KafkaJS hands a partition assigner. `findTopicPartitionMetadata(topic)` answers from the
 * metadata the group leader fetched for the assignment (the only call assigners make in practice); calls that
 * would need KafkaJS's internal connection pool reject (or throw) `KafkaJSNotImplemented`.
 */
export type Cluster = {
  getNodeIds(): number[];
  metadata(): Promise<BrokerMetadata>;
  removeBroker(options: { host: string; port: number }): void;
  addMultipleTargetTopics(topics: string[]): Promise<void>;
  isConnected(): boolean;
  connect(): Promise<void>;
  disconnect(): Promise<void>;
  refreshMetadata(): Promise<void>;
  refreshMetadataIfNecessary(): Promise<void>;
  addTargetTopic(topic: string): Promise<void>;
  findBroker(node: { nodeId: string }): Promise<Broker>;
  findControllerBroker(): Promise<Broker>;
  findTopicPartitionMetadata(topic: string): PartitionMetadata[];
  findLeaderForPartitions(topic: string, partitions: number[]): { [leader: string]: number[] };
  findGroupCoordinator(group: { groupId: string }): Promise<Broker>;
  findGroupCoordinatorMetadata(group: { groupId: string }): Promise<CoordinatorMetadata>;
  defaultOffset(config: { fromBeginning: boolean }): number;
  fetchTopicsOffset(
    topics: Array<
      { topic: string; partitions: Array<{ partition: number }> } & (
        | { fromBeginning: boolean; fromTimestamp?: never }
        | { fromTimestamp: number; fromBeginning?: never }
      )
    >,
  ): Promise<TopicOffsets[]>;
};

/** A member as an assigner's `assign` sees it: its id and its encoded {@link AssignerProtocol} metadata. */
export type GroupMember = { memberId: string; memberMetadata: Buffer };
/** A member's encoded assignment, as `assign` returns it. */
export type GroupMemberAssignment = { memberId: string; memberAssignment: Buffer };
/** What `protocol` returns: the assigner's name and this member's encoded metadata. */
export type GroupState = { name: string; metadata: Buffer };

/** A KafkaJS partition assigner instance. */
export type Assigner = {
  name: string;
  version: number;
  assign(group: { members: GroupMember[]; topics: string[] }): Promise<GroupMemberAssignment[]>;
  protocol(subscription: { topics: string[] }): GroupState;
};

/** A KafkaJS partition assigner: a factory called once per consumer with the cluster, group id and logger. */
export type PartitionAssigner = (config: { cluster: Cluster; groupId: string; logger: Logger }) => Assigner;

/**
 * The built-in assigners of the engine, by their Java names, accepted in `partitionAssigners` beside KafkaJS
 * assigners (Vltava): `cooperative-sticky` rebalances incrementally (KIP-429).
 */
export type BuiltInAssignorName = 'range' | 'roundrobin' | 'sticky' | 'cooperative-sticky';

/**
 * KafkaJS's round-robin assigner (`RoundRobinAssigner`, KafkaJS's default): members sorted by id take the
 * partitions of every subscribed topic in turn. Its name and encoding are KafkaJS's, so that consumers on KafkaJS
 * and on this package can share a group while an application migrates.
 */
const roundRobin: PartitionAssigner = ({ cluster }) => ({
  name: 'RoundRobinAssigner',
  version: 0,
  async assign({ members, topics }) {
    const sorted = members.map((m) => m.memberId).sort();
    const assigned = new Map<string, Array<{ topic: string; partition: number }>>();
    let i = 0;
    for (const topic of topics) {
      for (const { partitionId } of cluster.findTopicPartitionMetadata(topic)) {
        const memberId = sorted[i++ % sorted.length]!;
        const list = assigned.get(memberId);
        if (list === undefined) assigned.set(memberId, [{ topic, partition: partitionId }]);
        else list.push({ topic, partition: partitionId });
      }
    }
    return [...assigned].map(([memberId, partitions]) => ({
      memberId,
      memberAssignment: AssignerProtocol.MemberAssignment.encode({
        version: this.version,
        assignment: partitionsByTopic(partitions),
        userData: Buffer.alloc(0),
      }),
    }));
  },
  protocol({ topics }) {
    return {
      name: this.name,
      metadata: AssignerProtocol.MemberMetadata.encode({ version: this.version, topics, userData: Buffer.alloc(0) }),
    };
  },
});

/** KafkaJS's `PartitionAssigners`. */
export const PartitionAssigners: { roundRobin: PartitionAssigner } = { roundRobin };

/** The cluster view given to KafkaJS assigners: answers from the metadata of the assignment in progress. */
export class AssignerCluster implements Cluster {
  private topics: ReadonlyMap<string, readonly TopicPartitionInfo[]> = new Map();

  /** The leader fetched this metadata for the assignment it is about to compute. */
  useAssignmentMetadata(topics: ReadonlyMap<string, readonly TopicPartitionInfo[]>): void {
    this.topics = topics;
  }

  findTopicPartitionMetadata(topic: string): PartitionMetadata[] {
    return (this.topics.get(topic) ?? []).map((p) => ({
      partitionErrorCode: 0,
      partitionId: p.partition,
      leader: -1,
      replicas: [],
      isr: [],
    }));
  }

  getNodeIds(): number[] {
    return [];
  }
  isConnected(): boolean {
    return true;
  }
  defaultOffset({ fromBeginning }: { fromBeginning: boolean }): number {
    return fromBeginning ? -2 : -1;
  }
  removeBroker(): void {}
  async addMultipleTargetTopics(): Promise<void> {}
  async addTargetTopic(): Promise<void> {}
  async connect(): Promise<void> {}
  async disconnect(): Promise<void> {}
  async refreshMetadata(): Promise<void> {}
  async refreshMetadataIfNecessary(): Promise<void> {}
  findLeaderForPartitions(): { [leader: string]: number[] } {
    throw notImplemented('findLeaderForPartitions');
  }
  metadata(): Promise<never> {
    return Promise.reject(notImplemented('metadata'));
  }
  findBroker(): Promise<never> {
    return Promise.reject(notImplemented('findBroker'));
  }
  findControllerBroker(): Promise<never> {
    return Promise.reject(notImplemented('findControllerBroker'));
  }
  findGroupCoordinator(): Promise<never> {
    return Promise.reject(notImplemented('findGroupCoordinator'));
  }
  findGroupCoordinatorMetadata(): Promise<never> {
    return Promise.reject(notImplemented('findGroupCoordinatorMetadata'));
  }
  fetchTopicsOffset(): Promise<never> {
    return Promise.reject(notImplemented('fetchTopicsOffset'));
  }
}

function notImplemented(method: string): KafkaJSNotImplemented {
  return new KafkaJSNotImplemented(
    `cluster.${method}() is not available to partition assigners in @vltava/kafkajs; ` +
      'an assigner can use cluster.findTopicPartitionMetadata(topic)',
  );
}

/**
 * Runs a KafkaJS assigner as one of the engine's assignors (classic group protocol): its `protocol()` supplies this
 * member's user data, its asynchronous `assign()` computes the assignment on the leader from the members' metadata
 * re-encoded with {@link AssignerProtocol}, and the assignment it encodes is decoded back into partitions.
 */
export function toCoreAssignor(assigner: Assigner, cluster: AssignerCluster): PartitionAssignor {
  const version = Number.isInteger(assigner.version) ? assigner.version : 0;
  return {
    name: assigner.name ?? assigner.protocol({ topics: [] }).name,
    supportedProtocols: ['eager'],
    subscriptionUserData(topics: readonly string[]): Buffer | null {
      const { metadata } = assigner.protocol({ topics: [...topics] });
      return AssignerProtocol.MemberMetadata.decode(metadata)?.userData ?? null;
    },
    async assign(
      members: readonly GroupMemberSubscription[],
      topics: ReadonlyMap<string, readonly TopicPartitionInfo[]>,
    ): Promise<Map<string, CoreMemberAssignment>> {
      cluster.useAssignmentMetadata(topics);
      const subscribed = new Set<string>();
      for (const member of members) for (const topic of member.topics) subscribed.add(topic);
      const answer = await assigner.assign({
        members: members.map((m) => ({
          memberId: m.memberId,
          memberMetadata: AssignerProtocol.MemberMetadata.encode({
            version,
            topics: [...m.topics],
            userData: m.userData ?? Buffer.alloc(0),
          }),
        })),
        topics: [...subscribed].sort(),
      });
      const result = new Map<string, CoreMemberAssignment>();
      for (const member of members) result.set(member.memberId, { partitions: [] });
      for (const { memberId, memberAssignment } of answer) {
        const decoded = AssignerProtocol.MemberAssignment.decode(memberAssignment);
        const partitions: TopicPartition[] = [];
        for (const [topic, list] of Object.entries(decoded?.assignment ?? {})) {
          for (const partition of list) partitions.push({ topic, partition });
        }
        result.set(memberId, { partitions, userData: decoded?.userData ?? null });
      }
      return result;
    },
  };
}
