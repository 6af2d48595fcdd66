import type { ConsumerRebalanceListener } from '@vltava/core';
import { INT32_MAX, type OptionsSchema, optionRules as r } from '@vltava/core/internal';
import type { CommitOffsetsOptions } from './commit-offsets.js';
import type { ConsumerSourceOptions } from './consumer-source.js';
import type { FromShareConsumerOptions } from './from-share-consumer.js';
import type { SendToOptions } from './send-to.js';
import type { SendTransactionallyOptions } from './send-transactionally.js';
import type { ToProducerOptions } from './to-producer.js';
import type { WaterMarkOptions } from './water-marks.js';

// The known keys of each options object of this package, checked with core's `checkOptions` when the factory is
// called: an unknown key or a bad value is an `InvalidArgumentError` that names it and the option meant.

const MILLISECONDS = r.number(0, INT32_MAX);
const SCHEDULER = r.withMethods('a SchedulerLike (now() and schedule())', 'now', 'schedule');
const LOGGER = r.withMethods(
  'a Logger (an object with debug, info, warn and error methods)',
  'debug',
  'info',
  'warn',
  'error',
);

/** The callbacks of a {@link ConsumerRebalanceListener} (keys checked when it is an object literal). */
const REBALANCE_LISTENER_SCHEMA = {
  onPartitionsRevoked: r.function('(partitions) => void | Promise<void>'),
  onPartitionsAssigned: r.function('(partitions) => void | Promise<void>'),
  onPartitionsLost: r.function('(partitions) => void | Promise<void>'),
} satisfies OptionsSchema<ConsumerRebalanceListener>;

/** The keys of {@link WaterMarkOptions} (their relations are checked by `resolveWaterMarks`). */
const WATER_MARK_OPTIONS_SCHEMA = {
  highWaterMark: r.integer(1),
  lowWaterMark: r.integer(0),
  highWaterMarkBytes: r.integer(1),
  lowWaterMarkBytes: r.integer(0),
} satisfies OptionsSchema<WaterMarkOptions>;

/** The keys of {@link ConsumerSourceOptions} (`fromConsumer`, `fromPartitions`). */
export const CONSUMER_SOURCE_OPTIONS_SCHEMA = {
  ...WATER_MARK_OPTIONS_SCHEMA,
  topics: r.describedAs(
    'a topic name, an array of them, or a RegExp',
    r.anyOf(r.string(true), r.arrayOf(r.string(true)), r.regExp),
  ),
  listener: r.callbacks(
    'a ConsumerRebalanceListener (onPartitionsAssigned, onPartitionsRevoked, onPartitionsLost)',
    REBALANCE_LISTENER_SCHEMA,
  ),
  drainTimeoutMs: MILLISECONDS,
  commitOnRevoke: r.boolean,
  commitOnUnsubscribe: r.boolean,
  closeConsumer: r.boolean,
  onBackpressure: r.function('(event) => void'),
  logger: LOGGER,
} satisfies OptionsSchema<ConsumerSourceOptions>;

/** The keys of {@link SendToOptions}. */
export const SEND_TO_OPTIONS_SCHEMA = {
  maxInFlight: r.integer(1),
  errors: r.oneOf('error', 'emit'),
} satisfies OptionsSchema<SendToOptions>;

/** The keys of {@link ToProducerOptions}. */
export const TO_PRODUCER_OPTIONS_SCHEMA = {
  maxInFlight: r.integer(1),
  onError: r.function('(error) => void'),
  onComplete: r.function('() => void'),
} satisfies OptionsSchema<ToProducerOptions>;

/** The keys of {@link CommitOffsetsOptions}. */
export const COMMIT_OFFSETS_OPTIONS_SCHEMA = {
  maxBatch: r.integer(1),
  maxIntervalMs: MILLISECONDS,
  message: r.function('(value) => KafkaMessage | KafkaMessage[] | undefined'),
  scheduler: SCHEDULER,
} satisfies OptionsSchema<CommitOffsetsOptions<unknown>>;

/** The keys of {@link SendTransactionallyOptions}. */
export const SEND_TRANSACTIONALLY_OPTIONS_SCHEMA = {
  maxBatch: r.integer(1),
  maxIntervalMs: MILLISECONDS,
  scheduler: SCHEDULER,
} satisfies OptionsSchema<SendTransactionallyOptions>;

/** The keys of {@link FromShareConsumerOptions} (`fromShareConsumer`). */
export const SHARE_SOURCE_OPTIONS_SCHEMA = {
  ...WATER_MARK_OPTIONS_SCHEMA,
  topics: r.describedAs('a topic name or an array of them', r.anyOf(r.string(true), r.arrayOf(r.string(true)))),
  pollTimeoutMs: MILLISECONDS,
  closeConsumer: r.boolean,
} satisfies OptionsSchema<FromShareConsumerOptions>;
