/**
 * The share consumer (KIP-932, queues for Kafka): share group membership, share sessions, per-record
 * acknowledgement, reading by `poll()` and `for await`.
 *
 * @module
 */
export { type AcknowledgeType, isAcknowledgeType } from './acknowledge-type.js';
export {
  type AcknowledgeableRecord,
  type AcknowledgementCommitCallback,
  type ShareCommitOptions,
  ShareConsumer,
  type SharePollOptions,
} from './share-consumer.js';
export type { ShareConsumerMetrics } from './share-consumer-metrics.js';
export type {
  ShareAcknowledgementMode,
  ShareAcquireMode,
  ShareConsumerOptions,
} from './share-consumer-options.js';
export {
  type ShareConsumerRecord,
  ShareConsumerRecords,
  type SharePartitionRecords,
} from './share-consumer-record.js';
export { AcknowledgementStateError, ShareGroupsUnavailableError } from './share-errors.js';
export type { AcknowledgementResult } from './share-fetcher.js';
export type { ShareMemberState } from './share-group-member.js';
export { ShareRecordIterator, type ShareRecordIteratorOptions } from './share-record-iterator.js';
