/**
 * The producer: `Producer`, its options, serializers, partitioners, errors and metrics.
 *
 * @packageDocumentation
 */

export { murmur2, partitionForKey, toPositive } from './murmur2.js';
export type {
  PartitionerContext,
  PartitionerFunction,
  PartitionerOption,
} from './partitioner.js';
export {
  type FlushOptions,
  Producer,
  type ProducerRecord,
  type ProducerRecordHeaders,
} from './producer.js';
export {
  AbortableTransactionError,
  ProducerFatalError,
  TransactionAbortedError,
  TransactionStateError,
} from './producer-errors.js';
export type { Metric } from './producer-metrics.js';
export type { Acks, ProducerOptions } from './producer-options.js';
export type { RecordMetadata, SendCallback } from './record-metadata.js';
export type { SendBatchOptions, SendBatchResult } from './send-batch-result.js';
export {
  bufferSerializer,
  jsonSerializer,
  type Serialized,
  type Serializer,
  stringOrBytesSerializer,
  stringSerializer,
} from './serializers.js';
export type { TransactionGroupMetadata, TransactionOffset } from './transaction-coordinator.js';
