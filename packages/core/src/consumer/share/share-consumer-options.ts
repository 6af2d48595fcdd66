import { type ClientOptions, nonNegative, positive } from '../../cluster/client-options.js';
import { checkOptions } from '../../config/check-options.js';
import { ConfigError } from '../../errors/client-errors.js';
import { bufferDeserializer, type Deserializer } from '../deserializers.js';
import { SHARE_CONSUMER_OPTIONS_SCHEMA } from './share-consumer-options-schema.js';

/**
 * How a share consumer's records are acknowledged. Java: `share.acknowledgement.mode`.
 *
 * - `implicit`: every record a `poll()` returned is accepted by the next `poll()`, `commitSync()` or
 *   `commitAsync()`, unless the application acknowledged it otherwise first (`acknowledge(record, 'release')`).
 * - `explicit`: only `acknowledge(record, type)` settles a record; a record left unacknowledged keeps its lock
 *   until it expires (then it is delivered again) or the consumer closes (then it is released).
 */
export type ShareAcknowledgementMode = 'implicit' | 'explicit';

/**
 * How the broker sizes what one ShareFetch acquires. Java: `share.acquire.mode` (KIP-1206, ShareFetch v2).
 * `batch_optimized`: whole record batches, possibly more than `maxPollRecords`; `record_limit`: at most
 * `maxPollRecords` records.
 */
export type ShareAcquireMode = 'batch_optimized' | 'record_limit';

/**
 * Share consumer settings (KIP-932). Every option names the Java setting it matches and its default; the
 * connection settings (`brokers`, `ssl`, `sasl`, timeouts, ...) are those of every client.
 */
export interface ShareConsumerOptions<K = Buffer | null, V = Buffer | null> extends ClientOptions {
  /** Java: group.id. The share group to join. Required. */
  readonly groupId: string;
  /** Java: share.acknowledgement.mode. See {@link ShareAcknowledgementMode}. Default `implicit`. */
  readonly shareAcknowledgementMode?: ShareAcknowledgementMode;
  /** Java: share.acquire.mode. See {@link ShareAcquireMode}. Default `batch_optimized`. */
  readonly shareAcquireMode?: ShareAcquireMode;
  /**
   * Java: max.poll.records. Most records one `poll()` returns, and what each ShareFetch asks the broker to acquire
   * (its `MaxRecords` and `BatchSize`). Default 500.
   */
  readonly maxPollRecords?: number;
  /** Java: fetch.min.bytes. Bytes the broker waits for before answering a ShareFetch. Default 1. */
  readonly fetchMinBytes?: number;
  /** Java: fetch.max.wait.ms. Longest time the broker waits for `fetchMinBytes`. Default 500. */
  readonly fetchMaxWaitMs?: number;
  /** Java: fetch.max.bytes. Most bytes one ShareFetch response carries (soft limit, KIP-74). Default 52428800. */
  readonly fetchMaxBytes?: number;
  /**
   * Most record bytes (after decompression) fetched ahead of the application and not handed out yet. Fetching
   * stops while the buffer holds this much, and each ShareFetch asks for no more than the room left. Records in
   * the buffer are already acquired (their lock is running), so keep it modest. No Java equivalent. Default
   * 16777216 (16 MiB).
   */
  readonly maxPrefetchBytes?: number;
  /**
   * Records fetched ahead and not handed out, at which fetching stops until the application takes some. A
   * response in flight can carry the buffer past it by one ShareFetch (`maxPollRecords` records, or whole batches
   * with `batch_optimized`). Acquired records count against the share-partition's in-flight limit
   * (`group.share.partition.max.record.locks`, shared by every member), so a large prefetch starves other members.
   * Default `maxPollRecords`.
   */
  readonly maxPrefetchRecords?: number;
  /** Java: check.crcs. Verify each batch's CRC; a mismatch raises `CorruptRecordError`. Default true. */
  readonly checkCrcs?: boolean;
  /** Java: default.api.timeout.ms. Bound of `commitSync()` and of the acknowledgements sent by `close()`. Default 60000. */
  readonly defaultApiTimeoutMs?: number;
  /** Java: key.deserializer. Default: the key bytes as a `Buffer` (or `null`). */
  readonly keyDeserializer?: Deserializer<K>;
  /** Java: value.deserializer. Default: the value bytes as a `Buffer` (or `null`). */
  readonly valueDeserializer?: Deserializer<V>;
}

/** {@link ShareConsumerOptions} of the share consumer itself, with defaults applied and values checked. */
export interface ResolvedShareConsumerOptions<K, V> {
  readonly groupId: string;
  readonly shareAcknowledgementMode: ShareAcknowledgementMode;
  readonly shareAcquireMode: ShareAcquireMode;
  readonly maxPollRecords: number;
  readonly fetchMinBytes: number;
  readonly fetchMaxWaitMs: number;
  readonly fetchMaxBytes: number;
  readonly maxPrefetchBytes: number;
  readonly maxPrefetchRecords: number;
  readonly checkCrcs: boolean;
  readonly defaultApiTimeoutMs: number;
  readonly requestTimeoutMs: number;
  readonly clientRack: string | undefined;
  readonly keyDeserializer: Deserializer<K>;
  readonly valueDeserializer: Deserializer<V>;
}

/** Applies defaults and checks the share consumer settings; throws `ConfigError` naming the option. */
export function resolveShareConsumerOptions<K, V>(
  options: ShareConsumerOptions<K, V>,
): ResolvedShareConsumerOptions<K, V> {
  checkOptions(options, SHARE_CONSUMER_OPTIONS_SCHEMA, 'share consumer', 'config');
  if (typeof options.groupId !== 'string' || options.groupId === '') {
    throw new ConfigError('groupId is required: a share consumer always reads as a member of a share group');
  }
  const mode = options.shareAcknowledgementMode ?? 'implicit';
  if (mode !== 'implicit' && mode !== 'explicit') {
    throw new ConfigError(`shareAcknowledgementMode must be 'implicit' or 'explicit', got ${String(mode)}`);
  }
  const acquireMode = options.shareAcquireMode ?? 'batch_optimized';
  if (acquireMode !== 'batch_optimized' && acquireMode !== 'record_limit') {
    throw new ConfigError(`shareAcquireMode must be 'batch_optimized' or 'record_limit', got ${String(acquireMode)}`);
  }
  for (const name of ['keyDeserializer', 'valueDeserializer'] as const) {
    if (options[name] !== undefined && typeof options[name] !== 'function') {
      throw new ConfigError(`${name} must be a function (data, context) => value`);
    }
  }
  if (options.checkCrcs !== undefined && typeof options.checkCrcs !== 'boolean') {
    throw new ConfigError(`checkCrcs must be true or false, got ${String(options.checkCrcs)}`);
  }
  const maxPollRecords = positive('maxPollRecords', options.maxPollRecords, 500);
  return {
    groupId: options.groupId,
    shareAcknowledgementMode: mode,
    shareAcquireMode: acquireMode,
    maxPollRecords,
    fetchMinBytes: positive('fetchMinBytes', options.fetchMinBytes, 1),
    fetchMaxWaitMs: nonNegative('fetchMaxWaitMs', options.fetchMaxWaitMs, 500),
    fetchMaxBytes: positive('fetchMaxBytes', options.fetchMaxBytes, 52_428_800),
    maxPrefetchBytes: positive('maxPrefetchBytes', options.maxPrefetchBytes, 16_777_216),
    maxPrefetchRecords: positive('maxPrefetchRecords', options.maxPrefetchRecords, maxPollRecords),
    checkCrcs: options.checkCrcs ?? true,
    defaultApiTimeoutMs: positive('defaultApiTimeoutMs', options.defaultApiTimeoutMs, 60_000),
    requestTimeoutMs: positive('requestTimeoutMs', options.requestTimeoutMs, 30_000),
    clientRack: options.clientRack === '' ? undefined : options.clientRack,
    keyDeserializer: options.keyDeserializer ?? (bufferDeserializer as unknown as Deserializer<K>),
    valueDeserializer: options.valueDeserializer ?? (bufferDeserializer as unknown as Deserializer<V>),
  };
}
