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

/** How deep {@link defaultSourceOf} follows `source` and `input` fields. */
const MAX_DEPTH = 8;

/**
 * The committer's default way to find where a chunk came from, tried in this order at each level:
 *
 * 1. `chunk.source`, when present (an envelope such as `{ record, source: consumerRecord }`);
 * 2. `chunk.input`, when present (what the send stream emits: `{ input, metadata }`);
 * 3. the chunk itself, when it has `topic`, `partition` and a `bigint` `offset` (a `ConsumerRecord`, or a copy).
 *
 * @throws InvalidArgumentError when no coordinates are found: committing a guess could skip records.
 */
export function defaultSourceOf(chunk: unknown): SourceCoordinates {
  let current: unknown = chunk;
  for (let depth = 0; depth < MAX_DEPTH && typeof current === 'object' && current !== null; depth++) {
    const c = current as { source?: unknown; input?: unknown };
    if (c.source !== undefined) current = c.source;
    else if (c.input !== undefined) current = c.input;
    else break;
  }
  if (isSourceCoordinates(current)) return current;
  throw new InvalidArgumentError(
    'The committer got a chunk without source coordinates (topic, partition and a bigint offset, on the chunk, ' +
      'its `source` or its `input`). Keep the consumer record (or `{ ...record, value }`) flowing through the ' +
      'pipeline, or give the committer a `sourceOf` function',
  );
}
