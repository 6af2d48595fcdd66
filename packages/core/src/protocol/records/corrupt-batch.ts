import { CorruptRecordError } from '../../errors/client-errors.js';

/** Where a batch came from, for error messages: the reader's `topic` and `partition` options. */
export interface BatchContext {
  /** Topic of the fetched partition, if known. */
  readonly topic?: string | undefined;
  /** Partition number, if known. */
  readonly partition?: number | undefined;
}

/**
 * The error for a batch that cannot be decoded: names the batch's base offset, the topic and partition, and the
 * fault. `cause` keeps a codec's own error.
 */
export function corruptBatch(
  offset: bigint,
  context: BatchContext,
  detail: string,
  cause?: unknown,
): CorruptRecordError {
  return new CorruptRecordError(`Record batch at offset ${offset} is corrupt: ${detail}`, {
    offset,
    ...(context.topic === undefined ? {} : { topic: context.topic }),
    ...(context.partition === undefined ? {} : { partition: context.partition }),
    ...(cause === undefined ? {} : { cause }),
  });
}
