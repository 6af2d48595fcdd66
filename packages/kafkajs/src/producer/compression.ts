import type { CompressionType } from '../core.js';
import { KafkaJSNonRetriableError } from '../errors/errors.js';

/** KafkaJS's compression codes (the codes of the record batch attributes). */
export const CompressionTypes = { None: 0, GZIP: 1, Snappy: 2, LZ4: 3, ZSTD: 4 } as const;
/** One of the {@link CompressionTypes}. */
export type CompressionTypes = (typeof CompressionTypes)[keyof typeof CompressionTypes];

/**
 * KafkaJS's registry of codec plugins (`CompressionCodecs[CompressionTypes.LZ4] = new LZ4Codec().codec`). The engine
 * has all five codecs built in, so plugins registered here are kept (code that reads the registry finds them) but
 * never used: every codec works without one.
 */
export const CompressionCodecs: { [type: number]: () => unknown } = {
  [CompressionTypes.GZIP]: () => ({ builtIn: 'gzip' }),
  [CompressionTypes.Snappy]: () => ({ builtIn: 'snappy' }),
  [CompressionTypes.LZ4]: () => ({ builtIn: 'lz4' }),
  [CompressionTypes.ZSTD]: () => ({ builtIn: 'zstd' }),
};

const NAMES: readonly CompressionType[] = ['none', 'gzip', 'snappy', 'lz4', 'zstd'];

/** The engine's name of a KafkaJS compression code; `undefined` stays `undefined`. */
export function toCoreCompression(type: number | undefined): CompressionType | undefined {
  if (type === undefined || type === null) return undefined;
  const name = NAMES[type];
  if (name === undefined) {
    throw new KafkaJSNonRetriableError(
      `Compression type ${String(type)} is not one of CompressionTypes (None 0, GZIP 1, Snappy 2, LZ4 3, ZSTD 4)`,
    );
  }
  return name;
}
