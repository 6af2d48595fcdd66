import {
  CLIENT_OPTIONS_SCHEMA,
  MILLISECONDS,
  NON_NEGATIVE_INT,
  POSITIVE_INT,
  POSITIVE_MILLISECONDS,
} from '../cluster/client-options-schema.js';
import { checkOptions } from '../config/check-options.js';
import { type OptionsSchema, optionRules as r } from '../config/option-rules.js';
import { ConfigError } from '../errors/client-errors.js';
import { COMPRESSION_TYPES } from '../protocol/records/compression/compression-type.js';
import type { FlushOptions } from './producer.js';
import type { ProducerOptions } from './producer-options.js';

/** The keys of {@link ProducerOptions}: the client's and the producer's own. */
export const PRODUCER_OPTIONS_SCHEMA = {
  ...CLIENT_OPTIONS_SCHEMA,
  acks: r.describedAs("0, 1, -1 or 'all'", r.oneOf(0, 1, -1, 'all')),
  enableIdempotence: r.boolean,
  transactionalId: r.string(true),
  transactionTimeoutMs: POSITIVE_MILLISECONDS,
  batchSize: POSITIVE_INT,
  lingerMs: MILLISECONDS,
  compression: r.oneOf(...COMPRESSION_TYPES),
  compressionLevel: r.integer(-131_072, 22),
  compressionWorkers: r.integer(0, 256),
  maxRequestSize: POSITIVE_INT,
  bufferMemory: r.integer(1),
  maxBlockMs: MILLISECONDS,
  retries: NON_NEGATIVE_INT,
  deliveryTimeoutMs: POSITIVE_MILLISECONDS,
  partitioner: r.describedAs(
    "'default', 'round-robin' or a function (context) => partition",
    r.anyOf(r.oneOf('default', 'round-robin'), r.function()),
  ),
  allowAutoCreateTopics: r.boolean,
  keySerializer: r.function('(data, topic) => Buffer | string | null'),
  valueSerializer: r.function('(data, topic) => Buffer | string | null'),
} satisfies OptionsSchema<ProducerOptions<unknown, unknown>>;

/** The keys of {@link FlushOptions}, taken by `producer.flush()` and `producer.close()`. */
export const FLUSH_OPTIONS_SCHEMA = {
  timeoutMs: MILLISECONDS,
} satisfies OptionsSchema<FlushOptions>;

/** Levels each codec accepts (Java's ranges): gzip 1-9 or -1 (zlib's default), zstd -131072 to 22. */
const LEVELS: Partial<Record<string, readonly [number, number]>> = { gzip: [-1, 9], zstd: [-131_072, 22] };

/**
 * Checks the keys and values of producer options (see `checkOptions`), and that `compressionLevel` suits the
 * codec. Throws `ConfigError`.
 */
export function checkProducerOptions(options: unknown): void {
  checkOptions(options, PRODUCER_OPTIONS_SCHEMA, 'producer', 'config');
  const { compression, compressionLevel } = (options ?? {}) as ProducerOptions<unknown, unknown>;
  const range = compression === undefined ? undefined : LEVELS[compression];
  if (range !== undefined && compressionLevel !== undefined) {
    const [min, max] = range;
    if (compressionLevel < min || compressionLevel > max) {
      throw new ConfigError(
        `Invalid producer option: compressionLevel must be from ${min} to ${max} for ${compression}, got ` +
          `${compressionLevel} (Java: compression.${compression}.level)`,
      );
    }
  }
}
