import { NO_SEQUENCE } from '../protocol/records/record-batch-format.js';
import type { ProducerBatch } from './producer-batch.js';

/**
 * Everything the producer keeps for one partition it writes to: the queue of batches (oldest first) and the
 * idempotence bookkeeping. One object per partition, created on first use, referenced by its batches so that the
 * hot path never looks a partition up by name.
 *
 * The fields are read and written by the accumulator (queue) and the transaction manager (sequences); the rules
 * they follow are documented on `TransactionManager`.
 */
export class PartitionState {
  /** Batches waiting to be sent (or re-sent), oldest first; `head` is the index of the first. */
  batches: ProducerBatch[] = [];
  head = 0;

  // ---- idempotence -----------------------------------------------------------------------------------------
  /** Producer id the partition's sequences belong to (-1 before the first batch). */
  producerId = -1n;
  /** Producer epoch the partition's sequences belong to. */
  producerEpoch = -1;
  /** Sequence the next new batch gets. */
  nextSequence = 0;
  /** Last sequence the broker acknowledged under `producerId`/`producerEpoch`, or -1. */
  lastAckedSequence = -1;
  /** Batches with an assigned sequence that are not done (in flight or queued for a retry), by sequence. */
  unacked: ProducerBatch[] = [];
  /** Batches of this partition in requests awaiting their response. */
  inFlight = 0;
  /**
   * Set when a batch failed retriably: nothing more is sent for the partition until every in-flight request has
   * answered, so that the retried batches go out again in sequence order, after the broker settled the others.
   */
  holdUntilIdle = false;
  /**
   * Last sequence of a batch that failed after being sent (expired, or failed for good): whether the broker wrote
   * it is unknown until a later batch succeeds. -1 when nothing is unresolved.
   */
  unresolvedSequence = -1;

  // ---- transactions ------------------------------------------------------------------------------------------
  /** Added to the current transaction (AddPartitionsToTxn answered, or implicitly with transactions v2). */
  inTransaction = false;

  /** `topic-partition`, for logs and errors. */
  readonly label: string;

  constructor(
    /** Topic name. */
    readonly topic: string,
    /** Partition index. */
    readonly partition: number,
  ) {
    this.label = `${topic}-${partition}`;
  }

  /** Number of queued batches. */
  get queued(): number {
    return this.batches.length - this.head;
  }

  /** The oldest queued batch. */
  peek(): ProducerBatch | undefined {
    return this.batches[this.head];
  }

  /** The newest queued batch (the one records are appended to). */
  last(): ProducerBatch | undefined {
    return this.head < this.batches.length ? this.batches[this.batches.length - 1] : undefined;
  }

  /** Appends a batch at the tail. */
  push(batch: ProducerBatch): void {
    this.batches.push(batch);
  }

  /** Removes and returns the oldest queued batch. */
  shift(): ProducerBatch | undefined {
    if (this.head >= this.batches.length) return undefined;
    const batch = this.batches[this.head]!;
    this.batches[this.head++] = undefined as unknown as ProducerBatch;
    if (this.head === this.batches.length) {
      this.batches = [];
      this.head = 0;
    } else if (this.head > 32 && this.head * 2 > this.batches.length) {
      this.batches = this.batches.slice(this.head);
      this.head = 0;
    }
    return batch;
  }

  /**
   * Puts a batch back for a retry, before every batch without a sequence and after those with a lower one, so
   * that retries leave in sequence order (batches without sequences keep arrival order behind them).
   */
  requeue(batch: ProducerBatch): void {
    if (this.head > 0) {
      this.batches = this.batches.slice(this.head);
      this.head = 0;
    }
    let index = 0;
    const sequence = batch.baseSequence;
    while (index < this.batches.length) {
      const other = this.batches[index]!;
      if (!other.attempted) break;
      if (sequence !== NO_SEQUENCE && other.baseSequence !== NO_SEQUENCE && other.baseSequence > sequence) break;
      if (sequence === NO_SEQUENCE && other.createdAt > batch.createdAt) break;
      index++;
    }
    this.batches.splice(index, 0, batch);
  }

  /** Removes every queued batch and returns them, oldest first. */
  takeAll(): ProducerBatch[] {
    const all = this.batches.slice(this.head);
    this.batches = [];
    this.head = 0;
    return all;
  }

  /** Removes a batch from the unacked list. */
  removeUnacked(batch: ProducerBatch): void {
    const index = this.unacked.indexOf(batch);
    if (index >= 0) this.unacked.splice(index, 1);
  }
}
