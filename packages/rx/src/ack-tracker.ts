import { CommitFailedError, type ConsumerRecord, type TopicPartition, type TopicPartitionOffset } from '@vltava/core';
import { recordBytes } from '@vltava/core/internal';
import { from, Observable, type ObservableInput } from 'rxjs';
import { KafkaMessage } from './kafka-message.js';
import type { OffsetCommit } from './offset-commit.js';
import { PartitionAcks, type PartitionAcksOwner } from './partition-acks.js';
import type { WaterMarks } from './water-marks.js';

/** A backpressure transition of a source, as `onBackpressure` reports it. */
export interface BackpressureEvent {
  /** `pause`: the high-water mark was reached; `resume`: the count fell to the low-water mark. */
  readonly type: 'pause' | 'resume';
  /** The partitions whose fetching was paused or resumed (those holding unacknowledged records at the pause). */
  readonly partitions: readonly TopicPartition[];
  /** Records emitted and not acknowledged at the transition. */
  readonly records: number;
  /** Their bytes. */
  readonly bytes: number;
}

/** What the tracker asks of the consumer. */
export interface AckTrackerHost {
  /** Tells the consumer a record (and its partition's records before it) is processed. */
  acknowledge(record: ConsumerRecord<unknown, unknown>): void;
  /** Commits exactly these offsets; completes (or resolves) when the coordinator accepted them. */
  commit(offsets: readonly TopicPartitionOffset[]): ObservableInput<unknown>;
  /** Pauses fetching of partitions (the consumer's backpressure pauses). */
  pause(partitions: readonly TopicPartition[]): void;
  /** Resumes fetching of partitions paused by {@link pause}. */
  resume(partitions: readonly TopicPartition[]): void;
  /** Told of every pause and resume. */
  onBackpressure?: ((event: BackpressureEvent) => void) | undefined;
  /** A record of a retired partition (revoked, lost, or the subscription ended) was acknowledged: not committed. */
  acknowledgedLate?(partition: TopicPartition): void;
}

/** Why the process trace of a message never acknowledged ended: its partition was revoked. */
export const RETIRED_REVOKED = 'its partition was revoked before the message was acknowledged';
/** Why the process trace of a message never acknowledged ended: its partition was lost. */
export const RETIRED_LOST = 'its partition was lost before the message was acknowledged';
/** Why the process trace of a message never acknowledged ended: the subscription ended (unsubscribe, an error, completion). */
export const RETIRED_STOPPED = 'the subscription ended before the message was acknowledged';

/**
 * The acknowledgement state of one subscription of a consumer source: per partition (see {@link PartitionAcks}) and
 * in total, which drives backpressure:
 *
 * - When the records emitted and not acknowledged reach the high-water mark (or their bytes reach the byte mark),
 *   the tracker *holds*: the source stops pulling records, and fetching of the partitions holding unacknowledged
 *   records is paused through the consumer's backpressure pauses.
 * - When both counts are back at their low-water marks, it releases: those partitions resume and the source pulls
 *   again.
 *
 * It also knows which offsets may be committed (the acknowledged prefix of each partition still assigned) and
 * commits them.
 */
export class AckTracker<K, V> implements PartitionAcksOwner {
  /** Records emitted and not acknowledged. */
  records = 0;
  /** Bytes of the records emitted and not acknowledged. */
  bytes = 0;
  private readonly marks: WaterMarks;
  private readonly host: AckTrackerHost;
  private readonly partitions = new Map<string, PartitionAcks>();
  private last: PartitionAcks | undefined;
  private held = false;
  private releaseWaiters: Array<() => void> = [];
  /** Partitions whose acknowledged prefix grew and the consumer was not told yet. */
  private readonly unannounced: PartitionAcks[] = [];
  private stopped = false;
  private interrupted = false;

  constructor(marks: WaterMarks, host: AckTrackerHost) {
    this.marks = marks;
    this.host = host;
  }

  /** True from the moment a high-water mark is reached until both counts are back at their low-water marks. */
  get holding(): boolean {
    return this.held;
  }

  /** Records an emitted record and returns the message that acknowledges it; may start holding. */
  track(record: ConsumerRecord<K, V>): KafkaMessage<K, V> {
    let acks = this.last;
    if (acks === undefined || acks.partition !== record.partition || acks.topic !== record.topic) {
      const key = `${record.topic}:${record.partition}`;
      acks = this.partitions.get(key);
      if (acks === undefined) {
        acks = new PartitionAcks(record.topic, record.partition, this);
        this.partitions.set(key, acks);
      }
      this.last = acks;
    }
    const message = new KafkaMessage(record, acks, recordBytes(record));
    acks.push(message);
    this.records++;
    this.bytes += message.bytes;
    if (!this.held && (this.records >= this.marks.highWaterMark || this.bytes >= this.marks.highWaterMarkBytes)) {
      this.hold();
    }
    return message;
  }

  /** Resolves when the tracker stops holding (or reading is interrupted, or the source stops). */
  whenReleased(): Promise<void> {
    if (!this.held || this.stopped || this.interrupted) return Promise.resolve();
    return new Promise((resolve) => this.releaseWaiters.push(resolve));
  }

  /** Reading stops (the subscription is ending): wakes the reader; the acknowledgement state stays until `stop`. */
  interrupt(): void {
    this.interrupted = true;
    this.wakeReleaseWaiters();
  }

  /** Records emitted from these partitions (or all) and not acknowledged. */
  unacknowledged(only?: readonly TopicPartition[]): number {
    let count = 0;
    for (const acks of this.select(only)) count += acks.unacked;
    return count;
  }

  /** @internal From {@link PartitionAcks.acknowledge}, for a retired partition. */
  acknowledgedLate(acks: PartitionAcks): void {
    this.host.acknowledgedLate?.(acks);
  }

  /**
   * @internal From {@link PartitionAcks.acknowledge}. The consumer is told of a partition's grown prefix once per
   * turn of the microtask queue, not once per acknowledgement: an acknowledgement costs no call into the consumer.
   */
  acknowledged(acks: PartitionAcks, message: KafkaMessage<unknown, unknown>, prefixGrew: boolean): void {
    this.records--;
    this.bytes -= message.bytes;
    if (prefixGrew && !acks.unannounced) {
      acks.unannounced = true;
      this.unannounced.push(acks);
      if (this.unannounced.length === 1) queueMicrotask(this.announce);
    }
    if (this.held) this.maybeRelease();
  }

  /** Tells the consumer the acknowledged prefix of every partition whose prefix grew since the last time. */
  readonly announce = (): void => {
    const list = this.unannounced;
    for (let i = 0; i < list.length; i++) {
      const acks = list[i]!;
      acks.unannounced = false;
      if (!acks.retired && acks.prefixEnd !== undefined) this.host.acknowledge(acks.prefixEnd.record);
    }
    list.length = 0;
  };

  /** The offsets that may be committed: the acknowledged prefix of each partition (or of `only`), when it moved. */
  committable(only?: readonly TopicPartition[]): TopicPartitionOffset[] {
    const entries: TopicPartitionOffset[] = [];
    for (const acks of this.select(only)) {
      const entry = acks.committable();
      if (entry !== undefined) entries.push(entry);
    }
    return entries;
  }

  /**
   * Commits the acknowledged offsets (of every partition, or of `only`) when there are any: emits the
   * {@link OffsetCommit} and completes once the coordinator accepted it. A commit refused as stale
   * (`CommitFailedError`) is emitted with `dropped` set, not raised; other failures are raised.
   */
  commit(only?: readonly TopicPartition[]): Observable<OffsetCommit> {
    return new Observable<OffsetCommit>((subscriber) => {
      const owners: PartitionAcks[] = [];
      const offsets: TopicPartitionOffset[] = [];
      for (const acks of this.select(only)) {
        const entry = acks.committable();
        if (entry === undefined) continue;
        owners.push(acks);
        offsets.push(entry);
      }
      if (offsets.length === 0) {
        subscriber.complete();
        return undefined;
      }
      return from(this.host.commit(offsets)).subscribe({
        error: (error: unknown) => {
          if (error instanceof CommitFailedError) {
            subscriber.next({ offsets, dropped: error });
            subscriber.complete();
          } else {
            subscriber.error(error);
          }
        },
        complete: () => {
          for (let i = 0; i < owners.length; i++) owners[i]!.committedOffset = offsets[i]!.offset;
          subscriber.next({ offsets });
          subscriber.complete();
        },
      });
    });
  }

  /** Resolves when every record emitted from these partitions (or all) is acknowledged, or after `timeoutMs`. */
  async drain(partitions: readonly TopicPartition[] | undefined, timeoutMs: number): Promise<void> {
    await Promise.all(this.select(partitions).map((acks) => acks.drained(timeoutMs)));
  }

  /**
   * Forgets partitions that were revoked or lost: their unacknowledged records no longer count, acknowledging them
   * commits nothing (it is reported as late), their offsets are never committed, and their backpressure pauses
   * are lifted.
   */
  retire(partitions: readonly TopicPartition[], why = RETIRED_REVOKED): void {
    this.announce();
    const resumed: PartitionAcks[] = [];
    for (const acks of this.select(partitions)) {
      this.records -= acks.unacked;
      this.bytes -= acks.unackedBytes;
      if (acks.paused) {
        acks.paused = false;
        resumed.push(acks);
      }
      acks.retire(why);
      this.partitions.delete(`${acks.topic}:${acks.partition}`);
      if (this.last === acks) this.last = undefined;
    }
    if (resumed.length > 0) this.host.resume(resumed.map(toTopicPartition));
    if (this.held) this.maybeRelease();
  }

  /** The source stopped: lifts every backpressure pause, retires every partition and wakes waiters. */
  stop(): void {
    if (this.stopped) return;
    this.stopped = true;
    this.retire([...this.partitions.values()], RETIRED_STOPPED);
    this.held = false;
    this.wakeReleaseWaiters();
  }

  private select(only: readonly TopicPartition[] | undefined): PartitionAcks[] {
    if (only === undefined) return [...this.partitions.values()];
    const selected: PartitionAcks[] = [];
    for (const tp of only) {
      const acks = tp instanceof PartitionAcks ? tp : this.partitions.get(`${tp.topic}:${tp.partition}`);
      if (acks !== undefined && !acks.retired) selected.push(acks);
    }
    return selected;
  }

  private hold(): void {
    this.held = true;
    const paused: PartitionAcks[] = [];
    for (const acks of this.partitions.values()) {
      if (acks.unacked > 0 && !acks.paused) {
        acks.paused = true;
        paused.push(acks);
      }
    }
    const partitions = paused.map(toTopicPartition);
    if (partitions.length > 0) this.host.pause(partitions);
    this.host.onBackpressure?.({ type: 'pause', partitions, records: this.records, bytes: this.bytes });
  }

  private maybeRelease(): void {
    if (this.records > this.marks.lowWaterMark || this.bytes > this.marks.lowWaterMarkBytes) return;
    this.held = false;
    const resumed: PartitionAcks[] = [];
    for (const acks of this.partitions.values()) {
      if (acks.paused) {
        acks.paused = false;
        resumed.push(acks);
      }
    }
    const partitions = resumed.map(toTopicPartition);
    if (partitions.length > 0) this.host.resume(partitions);
    this.host.onBackpressure?.({ type: 'resume', partitions, records: this.records, bytes: this.bytes });
    this.wakeReleaseWaiters();
  }

  private wakeReleaseWaiters(): void {
    for (const waiter of this.releaseWaiters.splice(0)) waiter();
  }
}

function toTopicPartition(acks: PartitionAcks): TopicPartition {
  return { topic: acks.topic, partition: acks.partition };
}
