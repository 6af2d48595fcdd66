import { availableParallelism } from 'node:os';
import {
  type ClientOptions,
  nonNegative,
  positive,
  type ResolvedClientOptions,
  resolveClientOptions,
} from '../cluster/client-options.js';
import { ConfigError } from '../errors/client-errors.js';
import type { CompressionType } from '../protocol/records/compression/compression-type.js';
import { isCompressionType } from '../protocol/records/compression/compression-type.js';
import type { PartitionerOption } from './partitioner.js';
import { checkProducerOptions } from './producer-options-schema.js';
import { type Serializer, stringOrBytesSerializer } from './serializers.js';

/** Acknowledgements a Produce request waits for: none, the leader, or every in-sync replica (`'all'` or -1). */
export type Acks = 0 | 1 | -1 | 'all';

/** Largest number of requests per connection for which idempotence keeps order (the broker dedups 5 batches). */
export const MAX_IDEMPOTENT_IN_FLIGHT = 5;

/**
 * Producer settings. Every option names the Java producer setting it matches and its default, which is the Java
 * client's (4.x) unless said otherwise. Connection and retry settings shared with the consumer and admin client
 * come from {@link ClientOptions} (`requestTimeoutMs`, `retryBackoffMs`, `retryBackoffMaxMs`,
 * `maxInFlightRequestsPerConnection`, `metadataMaxAgeMs`, ...).
 *
 * @typeParam K type of record keys, as the key serializer accepts them.
 * @typeParam V type of record values, as the value serializer accepts them.
 */
export interface ProducerOptions<K = string | Uint8Array, V = string | Uint8Array> extends ClientOptions {
  /**
   * Acknowledgements to wait for: `0` (none; the send succeeds once written to the socket, offsets are unknown),
   * `1` (the leader wrote it), `'all'` / `-1` (every in-sync replica has it). Java: acks. Default `'all'`.
   */
  readonly acks?: Acks;
  /**
   * Exactly-once writes per partition: the producer gets a producer id and numbers its batches, so that retries
   * never duplicate or reorder records. Needs `acks: 'all'`, `retries > 0` and at most 5 requests in flight per
   * connection. When left unset it is on, and turned off (with a warning) if another setting conflicts; when set
   * to `true` explicitly, a conflicting setting is a `ConfigError`. Java: enable.idempotence. Default true.
   */
  readonly enableIdempotence?: boolean;
  /**
   * Turns on transactions (`initTransactions`, `beginTransaction`, ...). Unique per logical producer instance:
   * a new producer with the same id fences the old one. Needs idempotence. Java: transactional.id. Default none.
   */
  readonly transactionalId?: string;
  /**
   * Longest time a transaction may stay open before the coordinator aborts it. Java: transaction.timeout.ms.
   * Default 60000.
   */
  readonly transactionTimeoutMs?: number;
  /**
   * Bytes per partition batch. A batch is sent when it is full, when `lingerMs` has passed, or on `flush`. A record
   * larger than this gets a batch of its own. With compression it bounds the estimated compressed size, as in the
   * Java client (the uncompressed records of a batch may then take up to `maxRequestSize` of `bufferMemory`). Also
   * the bytes the sticky partitioner sends to one partition before switching. Java: batch.size. Default 16384.
   */
  readonly batchSize?: number;
  /**
   * How long a batch that is not full waits for more records before it is sent. Java: linger.ms. Default 5 (the
   * Java client's default since 4.0).
   */
  readonly lingerMs?: number;
  /** Compression of each batch: `none`, `gzip`, `snappy`, `lz4` or `zstd`. Java: compression.type. Default none. */
  readonly compression?: CompressionType;
  /**
   * Level for gzip (1-9) and zstd (1-22); ignored by the others. Java: compression.gzip.level /
   * compression.zstd.level. Default: the codec's default (gzip 6, zstd 3).
   */
  readonly compressionLevel?: number;
  /**
   * Worker threads that compress zstd batches of 32 KiB (uncompressed) and more, so that compression does not hold
   * the event loop and batches compress on several cores at once (as librdkafka compresses on its own threads; the
   * Java client has no such setting). Smaller batches compress on the event loop, where that is faster than a round
   * trip to a worker. LZ4 and snappy always compress on the event loop (fast enough that a round trip would cost as
   * much), gzip on libuv's thread pool from 256 KiB. Workers start on first use and stop on `close`; a worker that
   * fails leaves its batches to the event loop, so no send fails for it. `0` compresses every batch on the event
   * loop. Default: the cores Node.js may use (`os.availableParallelism()`), at most 4, and 0 on a single core.
   */
  readonly compressionWorkers?: number;
  /**
   * Largest Produce request, in bytes of record batches. A record that cannot fit even alone fails with
   * `RecordTooLargeError` before anything is sent. Java: max.request.size. Default 1048576.
   */
  readonly maxRequestSize?: number;
  /**
   * Bytes of records the producer may buffer (in batches waiting to be sent or acknowledged). When it is full,
   * `send` waits for space up to `maxBlockMs` and then fails with `BufferExhaustedError`. Records waiting for space
   * are bounded too: their bytes may not exceed `bufferMemory` either; past that `send` fails at once. So the
   * producer never holds more than twice `bufferMemory` of record bytes. Java: buffer.memory. Default 33554432.
   */
  readonly bufferMemory?: number;
  /**
   * Longest time `send` waits for topic metadata or buffer space (and `partitionsFor` for metadata), and
   * `initTransactions`, `commitTransaction`, `abortTransaction` and `sendOffsetsToTransaction` for the coordinator.
   * Java: max.block.ms. Default 60000.
   */
  readonly maxBlockMs?: number;
  /**
   * Times a failed batch is retried (retriable errors only) before its records fail. Retries stop earlier when
   * `deliveryTimeoutMs` passes. Java: retries. Default 2147483647.
   */
  readonly retries?: number;
  /**
   * Upper bound on the time from `send` to its outcome: every send settles (success or a typed error) within it,
   * whatever happens to the cluster. Must be at least `lingerMs + requestTimeoutMs`. Java: delivery.timeout.ms.
   * Default 120000.
   */
  readonly deliveryTimeoutMs?: number;
  /** How records without an explicit partition are placed. Java: partitioner.class. Default `'default'`. */
  readonly partitioner?: PartitionerOption;
  /**
   * Let the metadata requests of `send` create a topic that does not exist yet, where the broker allows it
   * (`auto.create.topics.enable`), with the broker's default partitions and replication. Java:
   * allow.auto.create.topics. Default true.
   */
  readonly allowAutoCreateTopics?: boolean;
  /**
   * Turns keys into bytes. Java: key.serializer. Default: strings (as UTF-8) and bytes
   * (`stringOrBytesSerializer`).
   */
  readonly keySerializer?: Serializer<K>;
  /** Turns values into bytes. Java: value.serializer. Default: strings (as UTF-8) and bytes. */
  readonly valueSerializer?: Serializer<V>;
}

/** {@link ProducerOptions} with defaults applied and checked. */
export interface ResolvedProducerOptions<K, V> {
  readonly client: ResolvedClientOptions;
  /** 0, 1 or -1. */
  readonly acks: 0 | 1 | -1;
  readonly idempotent: boolean;
  readonly transactionalId: string | undefined;
  readonly transactionTimeoutMs: number;
  readonly batchSize: number;
  readonly lingerMs: number;
  readonly compression: CompressionType;
  readonly compressionLevel: number | undefined;
  readonly compressionWorkers: number;
  readonly maxRequestSize: number;
  readonly bufferMemory: number;
  readonly maxBlockMs: number;
  readonly retries: number;
  readonly deliveryTimeoutMs: number;
  readonly maxInFlight: number;
  readonly partitioner: PartitionerOption;
  readonly allowAutoCreateTopics: boolean;
  readonly keySerializer: Serializer<K>;
  readonly valueSerializer: Serializer<V>;
}

/** Default of `compressionWorkers`: one per core Node.js may use, at most 4; none on a single core. */
export function defaultCompressionWorkers(): number {
  const cores = availableParallelism();
  return cores <= 1 ? 0 : Math.min(4, cores);
}

/**
 * Applies defaults and checks a producer configuration. Throws `ConfigError` naming the option at fault: an unknown
 * key (with the closest known option), a value of the wrong type or out of range, a conflict between options.
 *
 * Idempotence rules (as the Java client): with `enableIdempotence` left unset, idempotence is on unless `acks` is
 * 0 or 1, `retries` is 0 or `maxInFlightRequestsPerConnection` is above 5, in which case it is turned off and a
 * warning names the setting. With `enableIdempotence: true` or a `transactionalId`, any of those is a
 * `ConfigError`. A `transactionalId` with `enableIdempotence: false` is a `ConfigError`.
 */
export function resolveProducerOptions<K, V>(options: ProducerOptions<K, V>): ResolvedProducerOptions<K, V> {
  checkProducerOptions(options);
  const client = resolveClientOptions(options);
  const acks = parseAcks(options.acks);
  const retries = nonNegative('retries', options.retries, 2_147_483_647);
  const maxInFlight = client.maxInFlightRequestsPerConnection;
  const transactionalId = options.transactionalId;
  if (transactionalId !== undefined && (typeof transactionalId !== 'string' || transactionalId === '')) {
    throw new ConfigError('transactionalId must be a non-empty string');
  }

  const conflicts: string[] = [];
  if (acks !== -1) conflicts.push(`acks is ${String(options.acks)} (idempotence needs acks: 'all')`);
  if (retries === 0) conflicts.push('retries is 0 (idempotence needs retries > 0)');
  if (maxInFlight > MAX_IDEMPOTENT_IN_FLIGHT) {
    conflicts.push(`maxInFlightRequestsPerConnection is ${maxInFlight} (idempotence allows at most 5)`);
  }
  let idempotent: boolean;
  if (options.enableIdempotence === false) {
    if (transactionalId !== undefined) {
      throw new ConfigError('transactionalId needs idempotence: remove enableIdempotence: false');
    }
    idempotent = false;
  } else if (options.enableIdempotence === true || transactionalId !== undefined) {
    if (conflicts.length > 0) {
      const why = transactionalId !== undefined ? 'transactionalId is set' : 'enableIdempotence is true';
      throw new ConfigError(`Idempotence is required (${why}) but ${conflicts.join('; ')}`);
    }
    idempotent = true;
  } else if (conflicts.length > 0) {
    client.logger.warn(
      `Idempotence is turned off because ${conflicts.join('; ')}. Set enableIdempotence: false to silence this.`,
    );
    idempotent = false;
  } else {
    idempotent = true;
  }

  const lingerMs = nonNegative('lingerMs', options.lingerMs, 5);
  const minDeliveryTimeout = lingerMs + client.requestTimeoutMs;
  let deliveryTimeoutMs: number;
  if (options.deliveryTimeoutMs === undefined) {
    deliveryTimeoutMs = Math.max(120_000, minDeliveryTimeout);
  } else {
    deliveryTimeoutMs = positive('deliveryTimeoutMs', options.deliveryTimeoutMs, 120_000);
    if (deliveryTimeoutMs < minDeliveryTimeout) {
      throw new ConfigError(
        `deliveryTimeoutMs (${deliveryTimeoutMs}) must be at least lingerMs + requestTimeoutMs ` +
          `(${lingerMs} + ${client.requestTimeoutMs} = ${minDeliveryTimeout})`,
      );
    }
  }

  const compression = options.compression ?? 'none';
  if (!isCompressionType(compression)) {
    throw new ConfigError(
      `compression must be one of none, gzip, snappy, lz4, zstd; got ${JSON.stringify(options.compression)}`,
    );
  }
  if (options.compressionLevel !== undefined && !Number.isInteger(options.compressionLevel)) {
    throw new ConfigError(`compressionLevel must be an integer, got ${String(options.compressionLevel)}`);
  }
  const partitioner = options.partitioner ?? 'default';
  if (typeof partitioner !== 'function' && partitioner !== 'default' && partitioner !== 'round-robin') {
    throw new ConfigError(
      `partitioner must be 'default', 'round-robin' or a function; got ${JSON.stringify(partitioner)}`,
    );
  }
  if (options.allowAutoCreateTopics !== undefined && typeof options.allowAutoCreateTopics !== 'boolean') {
    throw new ConfigError(`allowAutoCreateTopics must be a boolean, got ${String(options.allowAutoCreateTopics)}`);
  }
  for (const name of ['keySerializer', 'valueSerializer'] as const) {
    if (options[name] !== undefined && typeof options[name] !== 'function') {
      throw new ConfigError(`${name} must be a function (data, topic) => Buffer | string | null`);
    }
  }

  return {
    client,
    acks,
    idempotent,
    transactionalId,
    transactionTimeoutMs: positive('transactionTimeoutMs', options.transactionTimeoutMs, 60_000),
    batchSize: positive('batchSize', options.batchSize, 16_384),
    lingerMs,
    compression,
    compressionLevel: options.compressionLevel,
    compressionWorkers: nonNegative('compressionWorkers', options.compressionWorkers, defaultCompressionWorkers()),
    maxRequestSize: positive('maxRequestSize', options.maxRequestSize, 1_048_576),
    bufferMemory: positive('bufferMemory', options.bufferMemory, 33_554_432),
    maxBlockMs: nonNegative('maxBlockMs', options.maxBlockMs, 60_000),
    retries,
    deliveryTimeoutMs,
    maxInFlight,
    partitioner,
    allowAutoCreateTopics: options.allowAutoCreateTopics ?? true,
    keySerializer: options.keySerializer ?? (stringOrBytesSerializer as unknown as Serializer<K>),
    valueSerializer: options.valueSerializer ?? (stringOrBytesSerializer as unknown as Serializer<V>),
  };
}

function parseAcks(acks: Acks | undefined): 0 | 1 | -1 {
  if (acks === undefined || acks === 'all' || acks === -1) return -1;
  if (acks === 0 || acks === 1) return acks;
  throw new ConfigError(`acks must be 0, 1, -1 or 'all'; got ${JSON.stringify(acks)}`);
}
