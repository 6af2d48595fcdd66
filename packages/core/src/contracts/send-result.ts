import type { KafkaError } from '../errors/kafka-error.js';
import type { RecordMetadata } from '../producer/record-metadata.js';
import type { SendBatchResult } from '../producer/send-batch-result.js';

/**
 * An input (an Rx emission, a stream chunk) whose records were all acknowledged: the input itself and each record's
 * metadata, in the order the target made them. What `@vltava/rx`'s `sendTo` emits, and what `@vltava/streams`'
 * send streams emit, so that a committer downstream finds the consumed record in `source`.
 */
export interface SendSuccess<T> {
  /** `true`: the record was acknowledged. */
  readonly ok: true;
  /** The input the records were made from. */
  readonly source: T;
  /** Metadata (topic, partition, offset, timestamp) of each record sent for it; empty when it made none. */
  readonly metadata: readonly RecordMetadata[];
}

/** An input with a record that failed (emitted only where failures are emitted rather than raised). */
export interface SendFailure<T> {
  /** `false`: the record failed (see `error`). */
  readonly ok: false;
  /** The input the records were made from. */
  readonly source: T;
  /** The first failure among its records (the producer's typed error). */
  readonly error: KafkaError;
  /** Metadata of each record, `undefined` for those that failed. */
  readonly metadata: readonly (RecordMetadata | undefined)[];
}

/** The outcome of sending one input: {@link SendSuccess} or {@link SendFailure}. */
export type SendResult<T> = SendSuccess<T> | SendFailure<T>;

/**
 * The result of one input whose records are `start` to `end` (exclusive) of a `sendBatch` call: a `SendSuccess`
 * whose metadata is read from the batch result only when asked for (most pipelines never ask: no metadata object
 * per record), or a `SendFailure` with the first error among its records.
 */
export function sendResultOf<T>(source: T, result: SendBatchResult, start: number, end: number): SendResult<T> {
  if (result.failed > 0) {
    for (let i = start; i < end; i++) {
      const error = result.error(i);
      if (error === undefined) continue;
      const metadata: Array<RecordMetadata | undefined> = [];
      for (let j = start; j < end; j++) metadata.push(result.metadata(j));
      return { ok: false, source, error, metadata };
    }
  }
  return new Sent(source, result, start, end);
}

/** A `SendSuccess` reading its metadata from the batch result when asked. */
class Sent<T> implements SendSuccess<T> {
  readonly ok = true;
  readonly source: T;
  private readonly result: SendBatchResult;
  private readonly start: number;
  private readonly end: number;
  private list: readonly RecordMetadata[] | undefined;

  constructor(source: T, result: SendBatchResult, start: number, end: number) {
    this.source = source;
    this.result = result;
    this.start = start;
    this.end = end;
  }

  get metadata(): readonly RecordMetadata[] {
    if (this.list === undefined) {
      const list: RecordMetadata[] = [];
      for (let i = this.start; i < this.end; i++) list.push(this.result.metadata(i)!);
      this.list = list;
    }
    return this.list;
  }
}
