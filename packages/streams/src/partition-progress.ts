/**
 * The processing progress of one partition in a stream pipeline: which delivered records are still in flight,
 * and the offset that may be committed (one past the longest run of processed records from the start).
 *
 * Records are delivered in offset order (the read stream registers each with {@link delivered}) and may complete
 * in any order ({@link completed}). The committable offset never passes a delivered record that has not completed:
 * a record completing ahead of an earlier one waits in a set until the gap closes. Completions in order cost no
 * set operation.
 *
 * A delivery at or below the last delivered offset means the partition's position moved back (a seek, or the
 * partition was revoked and assigned again): the in-flight list restarts there. Completions of records from before
 * the move are still facts (those records were processed) and count where they fall.
 *
 * Without deliveries (a committer used without a read stream of the same consumer), completions are taken to come
 * in offset order: the committable offset is one past the highest completed offset.
 */
export class PartitionProgress {
  readonly topic: string;
  readonly partition: number;
  /**
   * Offsets delivered and not yet passed by the committable offset, ascending, from `head` to `tail` (exclusive),
   * with their leader epochs. The arrays are queues that are reused: emptied by moving both indexes back to 0, never
   * by allocating new ones (a pipeline that commits each record as it is read empties them once per record).
   */
  private readonly offsets: bigint[] = [];
  private readonly epochs: Array<number | undefined> = [];
  private head = 0;
  private tail = 0;
  /** Offsets in the in-flight list that completed ahead of an earlier one. */
  private doneAhead: Set<bigint> | undefined;
  private lastDelivered: bigint | undefined;
  private tracked = false;
  /**
   * The last processed offset with no unprocessed record before it (the committable offset is one past it,
   * computed when asked: no BigInt is made per record).
   */
  private done: bigint | undefined;
  private doneEpoch: number | undefined;
  /** True when the committable offset moved since {@link takeCommittable} last returned it. */
  private changed = false;
  /** True while the session has this partition in its set to acknowledge (set and cleared by the session). */
  unacknowledged = false;

  constructor(topic: string, partition: number) {
    this.topic = topic;
    this.partition = partition;
  }

  /** Records delivered to the pipeline and not yet processed (completed out of order ones included). */
  get inFlight(): number {
    return this.tail - this.head;
  }

  /** One past the last processed record with no unprocessed record before it, or `undefined` before any. */
  get committable(): bigint | undefined {
    return this.done === undefined ? undefined : this.done + 1n;
  }

  /** The last processed record with no unprocessed record before it (one before {@link committable}). */
  get lastProcessed(): bigint | undefined {
    return this.done;
  }

  /** Leader epoch of the record before {@link committable}. */
  get committableEpoch(): number | undefined {
    return this.doneEpoch;
  }

  /** Registers a record handed to the pipeline. */
  delivered(offset: bigint, leaderEpoch: number | undefined): void {
    if (this.lastDelivered !== undefined && offset <= this.lastDelivered) this.restart();
    this.tracked = true;
    this.lastDelivered = offset;
    const tail = this.tail++;
    this.offsets[tail] = offset;
    this.epochs[tail] = leaderEpoch;
  }

  /**
   * Registers a processed record. Returns true when the committable offset moved forward (or back, after the
   * position moved back).
   */
  completed(offset: bigint, leaderEpoch: number | undefined): boolean {
    if (!this.tracked) {
      if (this.done !== undefined && offset <= this.done) return false;
      this.setDone(offset, leaderEpoch);
      return true;
    }
    const offsets = this.offsets;
    if (this.head < this.tail) {
      const first = offsets[this.head]!;
      if (offset === first) {
        this.advance();
        return true;
      }
      // Below the first in-flight record (already passed, or a completion from before the position moved back),
      // or never delivered: nothing to record.
      if (offset < first || offset > this.lastDelivered!) return false;
      this.doneAhead ??= new Set();
      this.doneAhead.add(offset);
      return false;
    }
    return false;
  }

  /**
   * The offset to commit when it moved since the last call, else `undefined`; the caller commits it (and calls
   * {@link uncommitted} if that fails).
   */
  takeCommittable(): { offset: bigint; leaderEpoch: number | undefined } | undefined {
    if (!this.changed || this.done === undefined) return undefined;
    this.changed = false;
    return { offset: this.done + 1n, leaderEpoch: this.doneEpoch };
  }

  /** A commit of {@link takeCommittable}'s offset failed: offer it again next time. */
  uncommitted(): void {
    if (this.done !== undefined) this.changed = true;
  }

  /** Pops the first in-flight record and every completed one after it. */
  private advance(): void {
    const offsets = this.offsets;
    const done = this.doneAhead;
    let head = this.head;
    let last = head;
    head++;
    const tail = this.tail;
    while (head < tail && done !== undefined && done.size > 0 && done.delete(offsets[head]!)) {
      last = head;
      head++;
    }
    this.setDone(offsets[last]!, this.epochs[last]);
    this.head = head;
    if (head === tail) {
      this.head = 0;
      this.tail = 0;
    } else if (head >= 1024 && head * 2 >= tail) {
      offsets.copyWithin(0, head, tail);
      this.epochs.copyWithin(0, head, tail);
      this.head = 0;
      this.tail = tail - head;
    }
  }

  private setDone(offset: bigint, epoch: number | undefined): void {
    this.done = offset;
    this.doneEpoch = epoch;
    this.changed = true;
  }

  private restart(): void {
    this.head = 0;
    this.tail = 0;
    this.doneAhead = undefined;
  }
}
