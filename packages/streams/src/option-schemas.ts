import { INT32_MAX, type OptionsSchema, optionRules as r } from '@vltava/core/internal';
import type { CommitStreamOptions } from './committer.js';
import type { ReadStreamOptions } from './read-stream.js';
import type { SendStreamOptions } from './send-stream.js';
import type { ShareReadStreamOptions } from './share-read-stream.js';
import type { WriteStreamOptions } from './write-stream.js';

// The known keys of each options object of this package, checked with core's `checkOptions` when a stream is
// created: an unknown key or a bad value is an `InvalidArgumentError` that names it and the option meant.

/** A stream's buffer size: Node's and the Web's streams take 0 too. */
const HIGH_WATER_MARK = r.integer(0);
const MILLISECONDS = r.number(0, INT32_MAX);
const LOGGER = r.withMethods(
  'a Logger (an object with debug, info, warn and error methods)',
  'debug',
  'info',
  'warn',
  'error',
);

/** The keys of {@link ReadStreamOptions} (`createReadStream`, `createWebReadStream`). */
export const READ_STREAM_OPTIONS_SCHEMA = {
  highWaterMark: HIGH_WATER_MARK,
  stopAfterRecords: r.describedAs(
    'a positive integer (or Infinity: no limit)',
    r.anyOf(r.integer(1), r.oneOf(Number.POSITIVE_INFINITY)),
  ),
  stopSignal: r.signal,
  closeConsumer: r.boolean,
  requireCommitter: r.boolean,
  drainTimeoutMs: MILLISECONDS,
  logger: LOGGER,
} satisfies OptionsSchema<ReadStreamOptions>;

/** The keys of {@link WriteStreamOptions} (`createWriteStream`, `createWebWriteStream`). */
export const WRITE_STREAM_OPTIONS_SCHEMA = {
  highWaterMark: HIGH_WATER_MARK,
  maxInFlight: r.integer(1),
  closeProducer: r.boolean,
} satisfies OptionsSchema<WriteStreamOptions>;

/** The keys of {@link SendStreamOptions} (`createSendStream`, `createWebSendStream`). */
export const SEND_STREAM_OPTIONS_SCHEMA = {
  ...WRITE_STREAM_OPTIONS_SCHEMA,
  readableHighWaterMark: HIGH_WATER_MARK,
} satisfies OptionsSchema<SendStreamOptions>;

/** The keys of {@link CommitStreamOptions} (`createCommitStream`, `createWebCommitStream`). */
export const COMMIT_STREAM_OPTIONS_SCHEMA = {
  highWaterMark: HIGH_WATER_MARK,
  commitIntervalMs: MILLISECONDS,
  sourceOf: r.function('(chunk) => SourceCoordinates'),
} satisfies OptionsSchema<CommitStreamOptions<unknown>>;

/** The keys of {@link ShareReadStreamOptions} (`createShareReadStream`). */
export const SHARE_READ_STREAM_OPTIONS_SCHEMA = {
  topics: r.describedAs('a topic name or an array of them', r.anyOf(r.string(true), r.arrayOf(r.string(true)))),
  highWaterMark: HIGH_WATER_MARK,
  maxInFlight: r.integer(1),
  pollTimeoutMs: MILLISECONDS,
  closeConsumer: r.boolean,
} satisfies OptionsSchema<ShareReadStreamOptions>;
