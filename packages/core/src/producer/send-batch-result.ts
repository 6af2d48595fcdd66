import type { KafkaError } from '../errors/kafka-error.js';
import type { CompletionGroup, WrittenRecords } from './record-completion.js';
import type { RecordMetadata } from './record-metadata.js';

/** Options of `producer.sendBatch(records, options)`. */
export interface SendBatchOptions {
  /**
   * When false (the default), the batches holding the call's records are sent as soon as its last record is handed
   * over: the caller awaits them, so waiting out `lingerMs` would only add latency (as an array send does in
   * KafkaJS). When true, they wait for `lingerMs` or a full batch, as records from `send` do: for adapters that hand
   * over a trickle of small arrays and want the linger to gather it into few requests.
   */
  readonly linger?: boolean;
}

/**
 * The outcome of `producer.sendBatch(records)`: one object for all records, with each record's metadata or error
 * available by index and built only when asked for (millions of records cost no Promise and no metadata object
 * each).
 */
export interface SendBatchResult {
  /** Number of records given. */
  readonly count: number;
  /** Records acknowledged. */
  readonly succeeded: number;
  /** Records that failed. */
  readonly failed: number;
  /** The first error by record index, if any record failed. */
  readonly firstError: KafkaError | undefined;
  /** Metadata of record `index`, or undefined when it failed. */
  metadata(index: number): RecordMetadata | undefined;
  /** Error of record `index`, or undefined when it succeeded. */
  error(index: number): KafkaError | undefined;
}

/** Collects the outcomes of a `sendBatch` call; resolves once every record has one. */
export class SendBatchGroup implements CompletionGroup, SendBatchResult {
  succeeded = 0;
  failed = 0;
  private readonly batches: Array<WrittenRecords | undefined>;
  private readonly positions: Int32Array;
  private errors: Map<number, KafkaError> | undefined;
  private settledCount = 0;
  private sealed = false;
  private resolve: ((result: SendBatchResult) => void) | undefined;
  /** Settles once every record of the group has an outcome (after {@link seal}). */
  readonly done: Promise<SendBatchResult>;

  constructor(readonly count: number) {
    this.batches = new Array(count);
    this.positions = new Int32Array(count);
    this.done = new Promise((resolve) => {
      this.resolve = resolve;
    });
  }

  get firstError(): KafkaError | undefined {
    if (this.errors === undefined) return undefined;
    let first: number | undefined;
    for (const index of this.errors.keys()) if (first === undefined || index < first) first = index;
    return first === undefined ? undefined : this.errors.get(first);
  }

  settle(index: number, batch: WrittenRecords | undefined, indexInBatch: number, error: KafkaError | undefined): void {
    if (error === undefined) {
      this.batches[index] = batch;
      this.positions[index] = indexInBatch;
      this.succeeded++;
    } else {
      this.errors ??= new Map();
      this.errors.set(index, error);
      this.failed++;
    }
    this.settledCount++;
    this.maybeResolve();
  }

  /** No more records will be added: resolve once the last one settles. */
  seal(): void {
    this.sealed = true;
    this.maybeResolve();
  }

  metadata(index: number): RecordMetadata | undefined {
    const batch = this.batches[index];
    return batch === undefined ? undefined : batch.metadata(this.positions[index]!);
  }

  error(index: number): KafkaError | undefined {
    return this.errors?.get(index);
  }

  private maybeResolve(): void {
    if (this.sealed && this.settledCount === this.count && this.resolve !== undefined) {
      const resolve = this.resolve;
      this.resolve = undefined;
      resolve(this);
    }
  }
}
