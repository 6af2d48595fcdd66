import type { TopicPartition, TopicPartitionOffset } from '@vltava/core';
import { abandonProcess } from '@vltava/core/internal';
import type { Observable } from 'rxjs';
import type { KafkaMessage } from './kafka-message.js';
import type { OffsetCommit } from './offset-commit.js';

/** What a {@link PartitionAcks} reports to the tracker that owns it. */
export interface PartitionAcksOwner {
  /**
   * A message of the partition was acknowledged. `prefixGrew` is true when the acknowledged prefix grew (the
   * consumer is to be told up to {@link PartitionAcks.prefixEnd}), false when the acknowledgement filled no gap at
   * the front.
   */
  acknowledged(acks: PartitionAcks, message: KafkaMessage<unknown, unknown>, prefixGrew: boolean): void;
  /** Commits the acknowledged offsets of its partitions (see `AckTracker.commit`). */
  commit(): Observable<OffsetCommit>;
  /** A message of the partition was acknowledged after the state was retired: too late to be committed. */
  acknowledgedLate(acks: PartitionAcks): void;
}

/**
 * Acknowledgement state of one partition for one assignment of it: the messages emitted and not yet part of the
 * acknowledged prefix, in emission order, and the offset up to which every emitted message is acknowledged.
 *
 * Gaps are tracked: acknowledgements may come in any order, and the committable offset only moves past a message
 * once it and every message emitted before it are acknowledged. The messages are kept in an array used as a queue
 * (head and tail indexes, compacted now and then; its length is never set on the hot path), so an acknowledgement
 * in order costs O(1) with no allocation, and a burst of out-of-order ones is paid for once, when the gap at the
 * front fills. The acknowledged offset is kept as the last message of the prefix and turned into `offset + 1n`
 * only when a commit asks for it.
 *
 * When its partition is revoked or lost, or the subscription ends, the state is *retired* (after the drain its
 * owner allows): its offsets are never committed, because they belong to an older generation of the group (or to a
 * subscription that has left it), and acknowledgements of its messages are reported to the owner as late.
 */
export class PartitionAcks implements TopicPartition {
  readonly topic: string;
  readonly partition: number;
  /** The tracker of the subscription the partition's messages were emitted by. */
  readonly owner: PartitionAcksOwner;
  private queue: Array<KafkaMessage<unknown, unknown> | undefined> = [];
  private head = 0;
  private tail = 0;
  /** Messages emitted and not acknowledged. */
  unacked = 0;
  /** Bytes of the messages emitted and not acknowledged. */
  unackedBytes = 0;
  /** The last message of the acknowledged prefix, once there is one. */
  prefixEnd: KafkaMessage<unknown, unknown> | undefined;
  /** True while the prefix grew and the consumer was not told yet (the tracker tells it once per turn). */
  unannounced = false;
  /** The last offset committed successfully for this assignment. */
  committedOffset: bigint | undefined;
  /** Set when the partition was revoked or lost: its messages belong to an old assignment. */
  retired = false;
  /** True while fetching of the partition is paused by this source's backpressure. */
  paused = false;
  private drainWaiters: Array<() => void> = [];

  constructor(topic: string, partition: number, owner: PartitionAcksOwner) {
    this.topic = topic;
    this.partition = partition;
    this.owner = owner;
  }

  /** Records an emitted message (in offset order for the partition). */
  push(message: KafkaMessage<unknown, unknown>): void {
    this.queue[this.tail++] = message;
    this.unacked++;
    this.unackedBytes += message.bytes;
  }

  /** Called by {@link KafkaMessage.ack} once per message. */
  acknowledge(message: KafkaMessage<unknown, unknown>): void {
    if (this.retired) {
      this.owner.acknowledgedLate(this);
      return;
    }
    this.unacked--;
    this.unackedBytes -= message.bytes;
    const queue = this.queue;
    const tail = this.tail;
    let head = this.head;
    let last: KafkaMessage<unknown, unknown> | undefined;
    while (head < tail) {
      const next = queue[head]!;
      if (!next.acknowledged) break;
      last = next;
      queue[head++] = undefined;
    }
    if (head === tail) {
      this.tail = 0;
      head = 0;
    } else if (head >= 1024 && head * 2 >= tail) {
      queue.copyWithin(0, head, tail);
      queue.fill(undefined, tail - head, tail);
      this.tail = tail - head;
      head = 0;
    }
    this.head = head;
    if (last !== undefined) this.prefixEnd = last;
    this.owner.acknowledged(this, message, last !== undefined);
    if (this.unacked === 0 && this.drainWaiters.length > 0) this.wakeDrainWaiters();
  }

  /** The offset to commit, when the acknowledged prefix moved since the last successful commit. */
  committable(): TopicPartitionOffset | undefined {
    const end = this.prefixEnd;
    if (this.retired || end === undefined) return undefined;
    const offset = end.record.offset + 1n;
    if (offset === this.committedOffset) return undefined;
    return { topic: this.topic, partition: this.partition, offset, leaderEpoch: end.record.leaderEpoch };
  }

  /** Resolves when every emitted message is acknowledged, or `timeoutMs` passed, or the state is retired. */
  drained(timeoutMs: number): Promise<void> {
    if (this.unacked === 0 || this.retired) return Promise.resolve();
    return new Promise((resolve) => {
      const timer = setTimeout(done, timeoutMs);
      const waiters = this.drainWaiters;
      function done(): void {
        clearTimeout(timer);
        const index = waiters.indexOf(done);
        if (index >= 0) waiters.splice(index, 1);
        resolve();
      }
      waiters.push(done);
    });
  }

  /**
   * Retires the state (revoked or lost, or the subscription ended): later acknowledgements are ignored; wakes drain
   * waiters. The process traces of the messages never acknowledged end as abandoned, with `why`.
   */
  retire(why: string): void {
    this.retired = true;
    const queue = this.queue;
    for (let i = this.head; i < this.tail; i++) {
      const message = queue[i]!;
      if (message.processing === undefined) continue;
      abandonProcess(message.processing, why);
      message.processing = undefined;
    }
    this.queue = [];
    this.head = 0;
    this.tail = 0;
    this.wakeDrainWaiters();
  }

  private wakeDrainWaiters(): void {
    for (const waiter of this.drainWaiters.slice()) waiter();
  }
}
