/**
 * The contracts `@vltava/rx` and `@vltava/streams` build on: the narrow consumer, producer and share consumer
 * interfaces they use, and the vocabulary both adapters share (what a send target is, what a send emits).
 *
 * @module
 */
export type { ConsumerBatchOptions, ConsumerLike, RecordBatch } from './consumer-like.js';
export type { ProducerLike, TransactionalProducerLike } from './producer-like.js';
export { recordBytes } from './record-bytes.js';
export { type SendFailure, type SendResult, type SendSuccess, sendResultOf } from './send-result.js';
export type { RecordsOf, SendTarget } from './send-target.js';
export type { ShareConsumerLike } from './share-consumer-like.js';
export { ShareMessage, type ShareOutcome } from './share-message.js';
