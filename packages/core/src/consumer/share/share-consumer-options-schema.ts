import {
  CLIENT_OPTIONS_SCHEMA,
  MILLISECONDS,
  POSITIVE_INT,
  POSITIVE_MILLISECONDS,
} from '../../cluster/client-options-schema.js';
import { type OptionsSchema, optionRules as r } from '../../config/option-rules.js';
import type { CloseOptions } from '../../vocabulary/close-options.js';
import type { ShareCommitOptions, SharePollOptions } from './share-consumer.js';
import type { ShareConsumerOptions } from './share-consumer-options.js';
import type { ShareRecordIteratorOptions } from './share-record-iterator.js';

/** The keys of {@link ShareConsumerOptions}: the client's and the share consumer's own. */
export const SHARE_CONSUMER_OPTIONS_SCHEMA = {
  ...CLIENT_OPTIONS_SCHEMA,
  groupId: r.string(),
  shareAcknowledgementMode: r.oneOf('implicit', 'explicit'),
  shareAcquireMode: r.oneOf('batch_optimized', 'record_limit'),
  maxPollRecords: POSITIVE_INT,
  fetchMinBytes: POSITIVE_INT,
  fetchMaxWaitMs: MILLISECONDS,
  fetchMaxBytes: POSITIVE_INT,
  maxPrefetchBytes: r.integer(1),
  maxPrefetchRecords: r.integer(1),
  checkCrcs: r.boolean,
  defaultApiTimeoutMs: POSITIVE_MILLISECONDS,
  keyDeserializer: r.function('(data, context) => key'),
  valueDeserializer: r.function('(data, context) => value'),
} satisfies OptionsSchema<ShareConsumerOptions<unknown, unknown>>;

/** The keys of {@link SharePollOptions} (`shareConsumer.poll()`). */
export const SHARE_POLL_OPTIONS_SCHEMA = {
  timeoutMs: MILLISECONDS,
  maxRecords: POSITIVE_INT,
} satisfies OptionsSchema<SharePollOptions>;

/** The keys of {@link ShareCommitOptions} (`commitSync()`) and {@link CloseOptions} (`close()`). */
export const SHARE_TIMEOUT_OPTIONS_SCHEMA = {
  timeoutMs: MILLISECONDS,
} satisfies OptionsSchema<ShareCommitOptions> & OptionsSchema<CloseOptions>;

/** The keys of {@link ShareRecordIteratorOptions} (`shareConsumer.records()`). */
export const SHARE_RECORD_ITERATOR_OPTIONS_SCHEMA = {
  signal: r.signal,
  onExit: r.oneOf('release', 'reject'),
} satisfies OptionsSchema<ShareRecordIteratorOptions>;
