/**
 * The consumer: group membership (classic and KIP-848), fetching with bounded prefetch, offsets, and reading by
 * `poll()`, `for await` and `batches()`.
 *
 * @module
 */

export type { IsolationLevel } from '../vocabulary/isolation-level.js';
export type { TopicPartitionOffset } from '../vocabulary/topic-partition.js';
export {
  AssignmentError,
  BUILT_IN_ASSIGNORS,
  type BuiltInAssignor,
  type BuiltInAssignorName,
  CooperativeStickyAssignor,
  type GroupMemberSubscription,
  type MemberAssignment,
  type PartitionAssignor,
  RangeAssignor,
  type RebalanceProtocol,
  RoundRobinAssignor,
  StickyAssignor,
  type StickyUserData,
  type TopicPartition,
  type TopicPartitionInfo,
} from './assignors/index.js';
export {
  type CommitCallback,
  type CommittedOffsetInfo,
  Consumer,
  type ConsumerBackpressure,
  type ConsumerCloseOptions,
  type ConsumerGroupMetadata,
  type OffsetForTime,
  type PollOptions,
  type TimeoutOptions,
} from './consumer.js';
export {
  CommitFailedError,
  FetchOffsetOutOfRangeError,
  GroupMembershipError,
  InvalidGroupStateError,
  LogTruncationError,
  MaxPollIntervalExceededError,
  NoOffsetForPartitionError,
  RebalanceListenerError,
  RecordDeserializationError,
} from './consumer-errors.js';
export type { ConsumerMetrics, PartitionMetrics } from './consumer-metrics.js';
export type { AutoOffsetReset, ConsumerOptions, GroupProtocol } from './consumer-options.js';
export {
  type ConsumerRebalanceListener,
  type ConsumerRecord,
  ConsumerRecords,
  type PartitionRecords,
} from './consumer-record.js';
export {
  bufferDeserializer,
  type Deserializer,
  type DeserializerContext,
  deserializers,
  jsonDeserializer,
  stringDeserializer,
} from './deserializers.js';
export type { GroupMemberState } from './group/group-member.js';
export type { PartitionFetchState } from './partition-state.js';
export {
  BatchIterator,
  type BatchIteratorOptions,
  type DeliveryMode,
  RecordIterator,
  type RecordIteratorOptions,
} from './record-iterator.js';
export {
  type AcknowledgeableRecord,
  type AcknowledgementCommitCallback,
  type AcknowledgementResult,
  AcknowledgementStateError,
  type AcknowledgeType,
  type ShareAcknowledgementMode,
  type ShareAcquireMode,
  type ShareCommitOptions,
  ShareConsumer,
  type ShareConsumerMetrics,
  type ShareConsumerOptions,
  type ShareConsumerRecord,
  ShareConsumerRecords,
  ShareGroupsUnavailableError,
  type ShareMemberState,
  type SharePartitionRecords,
  type SharePollOptions,
  ShareRecordIterator,
  type ShareRecordIteratorOptions,
} from './share/index.js';
