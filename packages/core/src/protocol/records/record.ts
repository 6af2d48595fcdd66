/**
 * How a record's timestamp was set. Java: `TimestampType` (`CreateTime`, `LogAppendTime`, `NoTimestampType`).
 *
 * - `CreateTime`: the producer's timestamp, kept by the broker.
 * - `LogAppendTime`: the broker's time of append (topic `message.timestamp.type=LogAppendTime`); every record of
 *   the batch carries the batch's max timestamp.
 * - `NoTimestampType`: legacy messages of magic 0, which have no timestamp (the timestamp reads -1).
 */
export type TimestampType = 'CreateTime' | 'LogAppendTime' | 'NoTimestampType';

/** One record header. Keys may repeat; order is kept as written. */
export interface RecordHeader {
  /** Header key (UTF-8 on the wire). */
  readonly key: string;
  /** Header value bytes, or `null`. */
  readonly value: Buffer | null;
}

/**
 * A record read from a fetch response, shaped as the consumer hands it to users: `topic` and `partition` come
 * from the reader's options, the rest from the batch and the record.
 *
 * `key`, `value` and header values are views into the fetched (or decompressed) bytes, not copies: keeping one
 * keeps that buffer alive. Copy with `Buffer.from(value)` to hold a value for long.
 */
export interface DecodedRecord {
  /** Topic the record was fetched from (the reader's `topic` option, `''` when not given). */
  readonly topic: string;
  /** Partition the record was fetched from (the reader's `partition` option, -1 when not given). */
  readonly partition: number;
  /** The record's offset in the partition. */
  readonly offset: bigint;
  /** Milliseconds since the epoch; -1 for legacy messages without a timestamp. */
  readonly timestamp: number;
  /** How `timestamp` was set. */
  readonly timestampType: TimestampType;
  /** Key bytes, or `null`. */
  readonly key: Buffer | null;
  /** Value bytes, or `null` (a tombstone on compacted topics). */
  readonly value: Buffer | null;
  /** Headers in wire order, repeated keys kept. Records without headers share one frozen empty array. */
  readonly headers: readonly RecordHeader[];
  /** Leader epoch of the partition when the batch was written, or `undefined` when unknown (-1 on the wire). */
  readonly leaderEpoch: number | undefined;
}

/**
 * The type of a control record (the key of every record in a control batch), as in Java's `ControlRecordType`.
 * `ABORT` and `COMMIT` are transaction markers; the others are internal to KRaft; `UNKNOWN` is any other id.
 */
export type ControlRecordType =
  | 'ABORT'
  | 'COMMIT'
  | 'LEADER_CHANGE'
  | 'SNAPSHOT_HEADER'
  | 'SNAPSHOT_FOOTER'
  | 'KRAFT_VERSION'
  | 'KRAFT_VOTERS'
  | 'UNKNOWN';

/** A record to append to a batch (see `RecordBatchBuilder.append`). Strings are written as UTF-8. */
export interface RecordHeaderInput {
  /** Header key. */
  readonly key: string;
  /** Header value, or `null`. */
  readonly value: Uint8Array | string | null;
}

/** Empty header list shared by every record without headers. */
export const NO_HEADERS: readonly RecordHeader[] = Object.freeze([]);
