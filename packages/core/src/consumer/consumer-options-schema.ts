import {
  CLIENT_OPTIONS_SCHEMA,
  MILLISECONDS,
  POSITIVE_INT,
  POSITIVE_MILLISECONDS,
} from '../cluster/client-options-schema.js';
import { type OptionsSchema, optionRules as r } from '../config/option-rules.js';
import { BUILT_IN_ASSIGNORS } from './assignors/index.js';
import type { ConsumerCloseOptions, PollOptions, TimeoutOptions } from './consumer.js';
import type { ConsumerOptions } from './consumer-options.js';
import type { ConsumerRebalanceListener } from './consumer-record.js';
import type { BatchIteratorOptions, RecordIteratorOptions } from './record-iterator.js';

/** The keys of {@link ConsumerOptions}: the client's and the consumer's own. */
export const CONSUMER_OPTIONS_SCHEMA = {
  ...CLIENT_OPTIONS_SCHEMA,
  groupId: r.string(true),
  groupInstanceId: r.string(true),
  groupProtocol: r.oneOf('classic', 'consumer'),
  // The entries are checked by resolveConsumerOptions, which names the bad one.
  partitionAssignors: r.describedAs(
    `an array of built-in assignor names (${BUILT_IN_ASSIGNORS.map((name) => `'${name}'`).join(', ')}) or ` +
      'PartitionAssignor objects',
    r.arrayOf(r.anyOf(r.string(), r.object('a PartitionAssignor'))),
  ),
  groupRemoteAssignor: r.string(true),
  sessionTimeoutMs: POSITIVE_MILLISECONDS,
  heartbeatIntervalMs: POSITIVE_MILLISECONDS,
  maxPollIntervalMs: POSITIVE_MILLISECONDS,
  rebalanceTimeoutMs: POSITIVE_MILLISECONDS,
  autoOffsetReset: r.oneOf('earliest', 'latest', 'none'),
  enableAutoCommit: r.boolean,
  autoCommitIntervalMs: POSITIVE_MILLISECONDS,
  fetchMinBytes: POSITIVE_INT,
  fetchMaxWaitMs: MILLISECONDS,
  fetchMaxBytes: POSITIVE_INT,
  maxPartitionFetchBytes: POSITIVE_INT,
  maxPollRecords: POSITIVE_INT,
  maxPrefetchBytes: r.integer(1),
  maxPrefetchRecords: r.integer(1),
  isolationLevel: r.oneOf('read_uncommitted', 'read_committed'),
  checkCrcs: r.boolean,
  allowAutoCreateTopics: r.boolean,
  defaultApiTimeoutMs: POSITIVE_MILLISECONDS,
  keyDeserializer: r.function('(data, context) => key'),
  valueDeserializer: r.function('(data, context) => value'),
} satisfies OptionsSchema<ConsumerOptions<unknown, unknown>>;

/** The keys of {@link PollOptions} (`consumer.poll()`). */
export const POLL_OPTIONS_SCHEMA = {
  timeoutMs: MILLISECONDS,
  maxRecords: POSITIVE_INT,
} satisfies OptionsSchema<PollOptions>;

/** The keys of {@link ConsumerCloseOptions} (`consumer.close()`). */
export const CLOSE_OPTIONS_SCHEMA = {
  autoCommit: r.boolean,
  timeoutMs: MILLISECONDS,
} satisfies OptionsSchema<ConsumerCloseOptions>;

/** The keys of {@link TimeoutOptions} (`commit`, `committed`, `position`, `beginningOffsets`, ...). */
export const TIMEOUT_OPTIONS_SCHEMA = {
  timeoutMs: MILLISECONDS,
} satisfies OptionsSchema<TimeoutOptions>;

/** The keys of {@link RecordIteratorOptions} (`consumer.records()`). */
export const RECORD_ITERATOR_OPTIONS_SCHEMA = {
  signal: r.signal,
  mode: r.oneOf('at-least-once', 'at-most-once', 'manual'),
} satisfies OptionsSchema<RecordIteratorOptions>;

/** The keys of {@link BatchIteratorOptions} (`consumer.batches()`). */
export const BATCH_ITERATOR_OPTIONS_SCHEMA = {
  ...RECORD_ITERATOR_OPTIONS_SCHEMA,
  maxRecords: POSITIVE_INT,
  maxWaitMs: MILLISECONDS,
  pushed: r.boolean,
} satisfies OptionsSchema<BatchIteratorOptions>;

/** The callbacks of a {@link ConsumerRebalanceListener}. */
const REBALANCE_LISTENER_SCHEMA = {
  onPartitionsRevoked: r.function('(partitions) => void | Promise<void>'),
  onPartitionsAssigned: r.function('(partitions) => void | Promise<void>'),
  onPartitionsLost: r.function('(partitions) => void | Promise<void>'),
} satisfies OptionsSchema<ConsumerRebalanceListener>;

/** The optional arguments of `consumer.subscribe()`, checked as options: the rebalance listener's callbacks. */
export const SUBSCRIBE_OPTIONS_SCHEMA = {
  listener: r.callbacks(
    'a ConsumerRebalanceListener (onPartitionsAssigned, onPartitionsRevoked, onPartitionsLost)',
    REBALANCE_LISTENER_SCHEMA,
  ),
} satisfies OptionsSchema<{ listener?: ConsumerRebalanceListener }>;
