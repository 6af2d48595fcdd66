/**
 * The compression codecs of Kafka record batches, named as the Java client's `compression.type` values.
 * The position in {@link COMPRESSION_TYPES} is the codec id stored in bits 0-2 of a batch's attributes.
 */
export type CompressionType = 'none' | 'gzip' | 'snappy' | 'lz4' | 'zstd';

/** Every codec, indexed by its id in the attributes field: none=0, gzip=1, snappy=2, lz4=3, zstd=4. */
export const COMPRESSION_TYPES: readonly CompressionType[] = ['none', 'gzip', 'snappy', 'lz4', 'zstd'];

/** The codec with attribute id `id`, or `undefined` for an id Kafka does not define (5-7). */
export function compressionTypeFromId(id: number): CompressionType | undefined {
  return COMPRESSION_TYPES[id];
}

/** The attribute id of `type` (0-4). */
export function compressionTypeId(type: CompressionType): number {
  switch (type) {
    case 'none':
      return 0;
    case 'gzip':
      return 1;
    case 'snappy':
      return 2;
    case 'lz4':
      return 3;
    case 'zstd':
      return 4;
  }
}

/** True when `value` names a codec (for validating configuration such as `compressionType`). */
export function isCompressionType(value: unknown): value is CompressionType {
  return typeof value === 'string' && (COMPRESSION_TYPES as readonly string[]).includes(value);
}
