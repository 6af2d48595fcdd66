/**
 * Default bound on what one batch may decompress to: 256 MiB. Java's consumer has no bound; this one exists so
 * that a decompression bomb (a small batch that inflates to gigabytes) fails one fetch instead of the process.
 * It is large enough for any batch Kafka's default limits allow (`message.max.bytes` 1 MiB compressed, at ratios
 * up to 256:1).
 */
export const DEFAULT_MAX_DECOMPRESSED_BYTES = 256 * 1024 * 1024;

/** Smallest bound {@link maxDecompressedBytesFor} returns: 64 MiB. */
export const MIN_MAX_DECOMPRESSED_BYTES = 64 * 1024 * 1024;

/** Ratio of decompressed to fetched bytes that {@link maxDecompressedBytesFor} allows: 64. */
export const DECOMPRESSION_RATIO_ALLOWANCE = 64;

/**
 * The decompression bound for a consumer, derived from its fetch limits: 64 times the largest batch a fetch can
 * return (`max(fetchMaxBytes, maxPartitionFetchBytes)`; a batch never exceeds what the broker sends for one
 * partition, and the first batch may exceed `maxPartitionFetchBytes` only up to `fetchMaxBytes`), at least
 * {@link MIN_MAX_DECOMPRESSED_BYTES} and at most {@link DEFAULT_MAX_DECOMPRESSED_BYTES}.
 *
 * With Java's defaults (`fetch.max.bytes` 50 MiB, `max.partition.fetch.bytes` 1 MiB) this is 256 MiB.
 */
export function maxDecompressedBytesFor(fetchMaxBytes: number, maxPartitionFetchBytes = 0): number {
  const largest = Math.max(fetchMaxBytes, maxPartitionFetchBytes);
  return Math.min(
    DEFAULT_MAX_DECOMPRESSED_BYTES,
    Math.max(MIN_MAX_DECOMPRESSED_BYTES, largest * DECOMPRESSION_RATIO_ALLOWANCE),
  );
}
