/**
 * The payload types of the instrumentation events, as KafkaJS declares them, so that listeners written against
 * KafkaJS's types keep their payload types.
 *
 * @module
 */
import type { TopicOffsets } from '../consumer/consumer-types.js';
import type { InstrumentationEvent } from './emitter.js';

/** `*.connect`. */
export type ConnectEvent = InstrumentationEvent<null>;
/** `*.disconnect`. */
export type DisconnectEvent = InstrumentationEvent<null>;
/** `*.network.request` (accepted; not emitted, see the README). */
export type RequestEvent = InstrumentationEvent<{
  apiKey: number;
  apiName: string;
  apiVersion: number;
  broker: string;
  clientId: string;
  correlationId: number;
  createdAt: number;
  duration: number;
  pendingDuration: number;
  sentAt: number;
  size: number;
}>;
/** `*.network.request_timeout` (accepted; not emitted, see the README). */
export type RequestTimeoutEvent = InstrumentationEvent<{
  apiKey: number;
  apiName: string;
  apiVersion: number;
  broker: string;
  clientId: string;
  correlationId: number;
  createdAt: number;
  pendingDuration: number;
  sentAt: number;
}>;
/** `*.network.request_queue_size` (accepted; not emitted, see the README). */
export type RequestQueueSizeEvent = InstrumentationEvent<{ broker: string; clientId: string; queueSize: number }>;

/** `consumer.heartbeat`. */
export type ConsumerHeartbeatEvent = InstrumentationEvent<{
  groupId: string;
  memberId: string;
  groupGenerationId: number;
}>;
/** `consumer.commit_offsets`. */
export type ConsumerCommitOffsetsEvent = InstrumentationEvent<{
  groupId: string;
  memberId: string;
  groupGenerationId: number;
  topics: TopicOffsets[];
}>;
/** Partitions by topic. */
export interface IMemberAssignment {
  [key: string]: number[];
}
/** `consumer.group_join`. */
export type ConsumerGroupJoinEvent = InstrumentationEvent<{
  duration: number;
  groupId: string;
  isLeader: boolean;
  leaderId: string;
  groupProtocol: string;
  memberId: string;
  memberAssignment: IMemberAssignment;
}>;
/** `consumer.fetch_start`. */
export type ConsumerFetchStartEvent = InstrumentationEvent<{ nodeId: number }>;
/** `consumer.fetch`. */
export type ConsumerFetchEvent = InstrumentationEvent<{ numberOfBatches: number; duration: number; nodeId: number }>;
/** The payload of the batch-process events. */
export interface IBatchProcessEvent {
  topic: string;
  partition: number;
  highWatermark: string;
  offsetLag: string;
  offsetLagLow: string;
  batchSize: number;
  firstOffset: string;
  lastOffset: string;
}
/** `consumer.start_batch_process`. */
export type ConsumerStartBatchProcessEvent = InstrumentationEvent<IBatchProcessEvent>;
/** `consumer.end_batch_process`. */
export type ConsumerEndBatchProcessEvent = InstrumentationEvent<IBatchProcessEvent & { duration: number }>;
/** `consumer.crash`. */
export type ConsumerCrashEvent = InstrumentationEvent<{ error: Error; groupId: string; restart: boolean }>;
/** `consumer.rebalancing`. */
export type ConsumerRebalancingEvent = InstrumentationEvent<{ groupId: string; memberId: string }>;
/** `consumer.received_unsubscribed_topics`. */
export type ConsumerReceivedUnsubcribedTopicsEvent = InstrumentationEvent<{
  groupId: string;
  generationId: number;
  memberId: string;
  assignedTopics: string[];
  topicsSubscribed: string[];
  topicsNotSubscribed: string[];
}>;
