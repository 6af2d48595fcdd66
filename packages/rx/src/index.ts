/**
 * Vltava for RxJS: consumers as Observables with backpressure-aware pause and resume, producers as sink operators.
 *
 * Built on the contracts `@vltava/core` exports (`ConsumerLike`, `ProducerLike`, `ShareConsumerLike`), and
 * emitting its vocabulary (`SendResult`, `ShareMessage`), which `@vltava/streams` shares.
 *
 * @packageDocumentation
 */
export type { BackpressureEvent } from './ack-tracker.js';
export { type CommitOffsetsOptions, commitOffsets } from './commit-offsets.js';
export type { ConsumerInput, ConsumerSourceOptions } from './consumer-source.js';
export { type FromConsumerOptions, fromConsumer } from './from-consumer.js';
export { type FromPartitionsOptions, fromPartitions, KafkaPartition } from './from-partitions.js';
export { type FromShareConsumerOptions, fromShareConsumer, type ShareConsumerInput } from './from-share-consumer.js';
export { KafkaMessage } from './kafka-message.js';
export type { MessageSelection, MessageSelector } from './message-selector.js';
export type { OffsetCommit } from './offset-commit.js';
export { metrics } from './rx-metrics.js';
export { type SendToOptions, sendTo } from './send-to.js';
export {
  type CommittedTransaction,
  type SendTransactionallyOptions,
  sendTransactionally,
} from './send-transactionally.js';
export { type ToProducerOptions, toProducer } from './to-producer.js';
export type { WaterMarkOptions } from './water-marks.js';
