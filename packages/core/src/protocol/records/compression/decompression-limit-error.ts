import { CorruptRecordError } from '../../../errors/client-errors.js';

/**
 * The error a codec raises when its output would exceed the caller's limit: a decompression bomb, or a batch
 * larger than the limit allows. Kept as `CorruptRecordError` so the consumer stops at the batch and reports it.
 */
export function decompressionLimitError(type: string, maxSize: number): CorruptRecordError {
  return new CorruptRecordError(
    `${type} data decompresses to more than ${maxSize} bytes, the limit for one batch (a decompression bomb, or ` +
      'a batch larger than expected: raise maxDecompressedBytes if the data is trusted)',
  );
}

/** Wraps a failure of a native decompressor into `CorruptRecordError`, keeping the original as `cause`. */
export function decompressionFailed(type: string, cause: unknown): CorruptRecordError {
  const detail = cause instanceof Error ? `: ${cause.message}` : '';
  return new CorruptRecordError(`${type} data could not be decompressed${detail}`, { cause });
}
