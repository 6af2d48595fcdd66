import type { RetryOptions } from '../retry/retry.js';
import type { BuiltInAssignorName, PartitionAssigner } from './assigners.js';
import type { Batch } from './batch.js';
import type { KafkaMessage } from './kafka-message.js';

/**
 * Consumer settings, as in KafkaJS, plus a few of the engine's (marked Vltava). How each maps onto the engine is in
 * the package README.
 */
export interface ConsumerConfig {
  /** The consumer group. Required. */
  groupId: string;
  /**
   * Assigners, preferred first: KafkaJS assigners (`PartitionAssigners.roundRobin`, custom ones) and, Vltava, the
   * engine's by name (`'cooperative-sticky'`, `'range'`, `'roundrobin'`, `'sticky'`). Default
   * `[PartitionAssigners.roundRobin]`, KafkaJS's, so that KafkaJS consumers and these can share a group.
   */
  partitionAssigners?: Array<PartitionAssigner | BuiltInAssignorName>;
  /** Longest time between metadata refreshes, in ms. Default 300000. */
  metadataMaxAge?: number;
  /** Time without heartbeats after which the member leaves the group, in ms. Default 30000. */
  sessionTimeout?: number;
  /** Time the group waits for members to rejoin in a rebalance, in ms. Default 60000. */
  rebalanceTimeout?: number;
  /** Time between heartbeats, in ms. Default 3000. */
  heartbeatInterval?: number;
  /** Most bytes per partition in one fetch. Default 1048576. */
  maxBytesPerPartition?: number;
  /** Bytes a fetch waits for. Default 1. */
  minBytes?: number;
  /** Most bytes in one fetch response. Default 10485760. */
  maxBytes?: number;
  /** Longest time the broker holds a fetch waiting for `minBytes`, in ms. Default 5000. */
  maxWaitTimeInMs?: number;
  /** Retries of failed batches, and whether to restart after a crash. Default `{ retries: 5 }`. */
  retry?: RetryOptions & { restartOnFailure?: (err: Error) => Promise<boolean> };
  /** Let metadata requests create subscribed topics that do not exist. Default true. */
  allowAutoTopicCreation?: boolean;
  /** Requests in flight per connection. Default 5. */
  maxInFlightRequests?: number;
  /** Read messages of open and aborted transactions too. Default false (`read_committed`). */
  readUncommitted?: boolean;
  /** This consumer's rack, to fetch from the closest replica (KIP-392). Default none. */
  rackId?: string;
  /**
   * Vltava: the group protocol. `'consumer'` is KIP-848 (Kafka 4.0+; assignment by the broker, no rebalance
   * barrier; `partitionAssigners`, `sessionTimeout` and `heartbeatInterval` do not apply). Default `'classic'`.
   */
  groupProtocol?: 'classic' | 'consumer';
  /** Vltava: with `groupProtocol: 'consumer'`, the broker's assignor to use (`uniform`, `range`). */
  groupRemoteAssignor?: string;
  /** Vltava: a static member id (KIP-345): a restart within `sessionTimeout` keeps the partitions. */
  groupInstanceId?: string;
  /**
   * Vltava: longest time one batch of messages may take to process before the member leaves the group, in ms.
   * Java: max.poll.interval.ms. Default 300000.
   */
  maxPollInterval?: number;
  /** Vltava: most messages handed out in one fetch cycle, across partitions. Default 5000. */
  maxBatchSize?: number;
}

/** A subscription: topics by name or by a RegExp matched against the topics that exist when subscribing. */
export type ConsumerSubscribeTopics = { topics: (string | RegExp)[]; fromBeginning?: boolean };
/** @deprecated KafkaJS's older form, with one topic. */
export type ConsumerSubscribeTopic = { topic: string | RegExp; fromBeginning?: boolean };

/** Offsets by topic (strings), as KafkaJS reports and takes them. */
export interface TopicOffsets {
  topic: string;
  partitions: Array<{ partition: number; offset: string }>;
}

/** Resolved offsets not committed yet, by topic. */
export interface OffsetsByTopicPartition {
  topics: TopicOffsets[];
}

/** What `eachMessage` receives. */
export interface EachMessagePayload {
  topic: string;
  partition: number;
  message: KafkaMessage;
  /** Accepted for compatibility: the engine heartbeats on its own timer. Resolves at once. */
  heartbeat(): Promise<void>;
  /** Pauses this partition; returns a function that resumes it. */
  pause(): () => void;
}

/** What `eachBatch` receives. */
export interface EachBatchPayload {
  batch: Batch;
  /** Marks a message (by offset) as processed: the next offset to commit becomes `offset + 1`. */
  resolveOffset(offset: string): void;
  /** Accepted for compatibility: the engine heartbeats on its own timer. Resolves at once. */
  heartbeat(): Promise<void>;
  /** Pauses this partition; returns a function that resumes it. */
  pause(): () => void;
  /** Commits the given offsets, or the resolved ones when `autoCommitInterval` or `autoCommitThreshold` is due. */
  commitOffsetsIfNecessary(offsets?: OffsetsByTopicPartition): Promise<void>;
  /** The resolved offsets not committed yet. */
  uncommittedOffsets(): OffsetsByTopicPartition;
  /** False once the consumer is stopping. */
  isRunning(): boolean;
  /** True when the batch's remaining messages should be dropped: a seek moved the partition, or it was revoked. */
  isStale(): boolean;
}

/** `eachBatch`'s type. */
export type EachBatchHandler = (payload: EachBatchPayload) => Promise<void>;
/** `eachMessage`'s type. */
export type EachMessageHandler = (payload: EachMessagePayload) => Promise<void>;

/** What `consumer.run` takes. */
export type ConsumerRunConfig = {
  /** Commit resolved offsets after each batch (and by interval or threshold). Default true. */
  autoCommit?: boolean;
  /** Also commit when this many ms passed since the last commit. Default null. */
  autoCommitInterval?: number | null;
  /** Also commit when this many messages were resolved since the last commit. Default null. */
  autoCommitThreshold?: number | null;
  /** Resolve the whole batch when `eachBatch` returns. Default true. */
  eachBatchAutoResolve?: boolean;
  /** Partitions processed at the same time. Default 1. */
  partitionsConsumedConcurrently?: number;
  eachBatch?: EachBatchHandler;
  eachMessage?: EachMessageHandler;
};

/** Alias kept for compatibility with `@types/kafkajs`. */
export type ConsumerEachMessagePayload = EachMessagePayload;
/** Alias kept for compatibility with `@types/kafkajs`. */
export type ConsumerEachBatchPayload = EachBatchPayload;

/** A topic and some of its partitions. */
export type TopicPartitions = { topic: string; partitions: number[] };
/** A partition of a topic. */
export type TopicPartition = { topic: string; partition: number };
/** A partition and an offset (a string, as in KafkaJS). */
export type TopicPartitionOffset = TopicPartition & { offset: string };
/** An offset to commit, with optional metadata. */
export type TopicPartitionOffsetAndMetadata = TopicPartitionOffset & { metadata?: string | null };

/** A member of a group as `describeGroup` reports it; assignment and metadata in the consumer protocol's encoding. */
export type MemberDescription = {
  clientHost: string;
  clientId: string;
  memberId: string;
  memberAssignment: Buffer;
  memberMetadata: Buffer;
};

/** States of a group, in Kafka's names (KIP-848 groups' states are mapped onto these; see the README). */
export type ConsumerGroupState = 'Unknown' | 'PreparingRebalance' | 'CompletingRebalance' | 'Stable' | 'Dead' | 'Empty';

/** A group as `describeGroup` reports it. */
export type GroupDescription = {
  groupId: string;
  members: MemberDescription[];
  protocol: string;
  protocolType: string;
  state: ConsumerGroupState;
  errorCode?: number;
};

/** `admin.describeGroups`'s answer. */
export type GroupDescriptions = { groups: GroupDescription[] };
