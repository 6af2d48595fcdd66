import { InvalidArgumentError } from '@vltava/core';

/**
 * Where a record came from: the coordinates the committer commits. A `ConsumerRecord` is one; so is any object
 * that keeps them (a transformed copy made with `{ ...record, value }`).
 */
export interface SourceCoordinates {
  /** Topic the source record was read from. */
  readonly topic: string;
  /** Partition the source record was read from. */
  readonly partition: number;
  /** Offset of the source record. */
  readonly offset: bigint;
  /** Leader epoch of the source record (KIP-320), when known. */
  readonly leaderEpoch?: number | undefined;
}

/** Finds the source coordinates of a chunk that reached a committer. */
export type SourceOf<T> = (chunk: T) => SourceCoordinates;

/** True when `value` carries source coordinates itself. */
export function isSourceCoordinates(value: unknown): value is SourceCoordinates {
  if (typeof value !== 'object' || value === null) return false;
  const v = value as Partial<SourceCoordinates>;
  return typeof v.topic === 'string' && typeof v.partition === 'number' && typeof v.offset === 'bigint';
}

/** How deep {@link defaultSourceOf} follows `source` fields. */
const MAX_DEPTH = 8;

/**
 * The committer's default way to find where a chunk came from: follows `source` fields (what the send streams emit,
 * `{ source, metadata }`, as `@vltava/rx`'s `sendTo` does; or an envelope such as `{ record, source: consumerRecord }`)
 * down to an object with `topic`, `partition` and a `bigint` `offset` (a `ConsumerRecord`, or a copy such as
 * `{ ...record, value }`).
 *
 * @throws InvalidArgumentError when no coordinates are found: committing a guess could skip records.
 */
export function defaultSourceOf(chunk: unknown): SourceCoordinates {
  let current: unknown = chunk;
  for (let depth = 0; depth < MAX_DEPTH && typeof current === 'object' && current !== null; depth++) {
    const source = (current as { source?: unknown }).source;
    if (source === undefined) break;
    current = source;
  }
  if (isSourceCoordinates(current)) return current;
  throw new InvalidArgumentError(
    'The committer got a chunk without source coordinates (topic, partition and a bigint offset, on the chunk, ' +
      'or its `source`). Keep the consumer record (or `{ ...record, value }`) flowing through the ' +
      'pipeline, or give the committer a `sourceOf` function',
  );
}
