import type {
  ConsumerBackpressure,
  ConsumerBatchOptions,
  ConsumerGroupMetadata,
  ConsumerLike,
  ConsumerRebalanceListener,
  ConsumerRecord,
  PartitionRecords,
  RecordBatch,
  TopicPartition,
  TopicPartitionOffset,
} from '@vltava/core';

/** A record as the fake consumer hands it out: string key and value. */
export type FakeRecord = ConsumerRecord<string, string>;

/** Makes a record of `topic`-`partition` at `offset`; the value defaults to `topic-partition@offset`. */
export function fakeRecord(
  topic: string,
  partition: number,
  offset: number | bigint,
  value = `${topic}-${partition}@${String(offset)}`,
): FakeRecord {
  const key = `k${String(offset)}`;
  return {
    topic,
    partition,
    offset: BigInt(offset),
    timestamp: 0,
    timestampType: 'CreateTime',
    key,
    value,
    headers: [],
    leaderEpoch: 0,
    serializedKeySize: Buffer.byteLength(key),
    serializedValueSize: Buffer.byteLength(value),
  };
}

const keyOf = (tp: TopicPartition) => `${tp.topic}:${tp.partition}`;

/** Default `maxRecords` of `batches()`, as the consumer's `maxPollRecords`. */
const DEFAULT_MAX_RECORDS = 500;

/**
 * A consumer for unit tests of the adapters, implementing core's `ConsumerLike` contract.
 *
 * Records are fed by the test (`push`, `add`, `fail`) and read through `batches()`, which waits for them like the
 * real batch iterator and ends promptly on `return()`, its `signal` or `close()`. One reader at a time, as the
 * real consumer. Every call the adapters make is logged in `calls`: `subscribe:<topics>`, `batches:<mode>`,
 * `return`, `unsubscribe`, `commit:t:p@o,...`, `pause:t:p,...`, `resume:t:p,...`, `close`.
 */
export class FakeConsumer implements ConsumerLike<string, string> {
  /** Every call, in order (see the class comment). */
  readonly calls: string[] = [];
  /** Every successful commit's offsets. */
  readonly commits: TopicPartitionOffset[][] = [];
  /** The acknowledged next offset (last acknowledged + 1, the highest seen), by `topic:partition`. */
  readonly acknowledged = new Map<string, bigint>();
  /** Snapshot of `acknowledged` when `close()` was first called. */
  acknowledgedAtClose: Map<string, bigint> | undefined;
  /** Partitions whose fetching is paused by backpressure now, as `topic:partition`. */
  readonly pausedKeys = new Set<string>();
  pauseCalls = 0;
  resumeCalls = 0;
  /** Records handed out through `batches()`, in order. */
  readonly handedOut: FakeRecord[] = [];
  /** Sizes of the batches handed out. */
  readonly batchSizes: number[] = [];
  /** The rebalance listener given to `subscribe`. */
  listener: ConsumerRebalanceListener | undefined;
  closed = false;
  closeCalls = 0;
  /** What a commit does: resolve (when this returns undefined, the default) or reject with the error returned. */
  commitFailure: ((offsets: readonly TopicPartitionOffset[]) => Error | undefined) | undefined;
  /** The group generation `groupMetadata()` reports. */
  generation = 1;
  private assigned: TopicPartition[] | undefined;
  private queue: Array<FakeRecord | Error> = [];
  private wake: (() => void) | undefined;
  private readerOpen = false;

  // -------------------------------------------------------------------------------------------------------------
  // Feeding (the test's side)

  /** Hands records to the reader. */
  push(...records: FakeRecord[]): void {
    for (const record of records) this.queue.push(record);
    this.wakeUp();
  }

  /** Queues `count` records of a partition, offsets from `from`. */
  add(topic: string, partition: number, count: number, from = 0): void {
    for (let i = 0; i < count; i++) this.queue.push(fakeRecord(topic, partition, from + i));
    this.wakeUp();
  }

  /** Makes the read after the records queued now fail with `error`. */
  fail(error: Error): void {
    this.queue.push(error);
    this.wakeUp();
  }

  /** Records queued and not yet read. */
  get queued(): number {
    return this.queue.length;
  }

  /** Records handed out so far. */
  get pulled(): number {
    return this.handedOut.length;
  }

  /** The offsets of the last commit of each partition, by `topic:partition`. */
  lastCommitted(): Map<string, bigint> {
    const last = new Map<string, bigint>();
    for (const commit of this.commits) for (const o of commit) last.set(keyOf(o), o.offset);
    return last;
  }

  // -------------------------------------------------------------------------------------------------------------
  // Rebalances (the test's side)

  /** Sets the assignment as `assign()` would (no listener). */
  assign(partitions: readonly TopicPartition[]): void {
    this.assigned = [...partitions];
  }

  /** A rebalance assigns partitions (awaits the listener). */
  async rebalanceAssign(partitions: TopicPartition[]): Promise<void> {
    this.assigned = [...(this.assigned ?? []), ...partitions];
    await this.listener?.onPartitionsAssigned?.(partitions);
  }

  /**
   * A rebalance revokes partitions, in the real consumer's order: their queued records are no longer handed out,
   * the listener is awaited (the partitions are still assigned meanwhile, so it can commit them), then they are
   * dropped from the assignment.
   */
  async rebalanceRevoke(partitions: TopicPartition[]): Promise<void> {
    const keys = new Set(partitions.map(keyOf));
    this.queue = this.queue.filter((item) => item instanceof Error || !keys.has(keyOf(item)));
    await this.listener?.onPartitionsRevoked?.(partitions);
    this.unassign(keys);
  }

  /** Partitions are lost (no orderly handover): dropped at once, then the listener is awaited. */
  async rebalanceLose(partitions: TopicPartition[]): Promise<void> {
    const keys = new Set(partitions.map(keyOf));
    this.queue = this.queue.filter((item) => item instanceof Error || !keys.has(keyOf(item)));
    this.unassign(keys);
    await this.listener?.onPartitionsLost?.(partitions);
  }

  // -------------------------------------------------------------------------------------------------------------
  // ConsumerLike

  subscribe(topics: string | readonly string[] | RegExp, listener?: ConsumerRebalanceListener): void {
    if (this.closed) throw new Error('the fake consumer is closed');
    this.calls.push(`subscribe:${String(topics)}`);
    this.listener = listener;
  }

  async unsubscribe(): Promise<void> {
    this.calls.push('unsubscribe');
    const owned = this.assigned ?? [];
    this.assigned = [];
    if (owned.length > 0) await this.listener?.onPartitionsRevoked?.(owned);
    this.listener = undefined;
  }

  /** The partitions assigned, or (before any assignment) every partition records were queued for. */
  assignment(): TopicPartition[] {
    if (this.assigned !== undefined) return [...this.assigned];
    const seen = new Map<string, TopicPartition>();
    for (const item of [...this.handedOut, ...this.queue]) {
      if (!(item instanceof Error)) seen.set(keyOf(item), { topic: item.topic, partition: item.partition });
    }
    return [...seen.values()];
  }

  batches(options: ConsumerBatchOptions = {}): AsyncIterator<RecordBatch<string, string>, undefined> {
    this.calls.push(`batches:${options.mode ?? 'at-least-once'}`);
    if (this.readerOpen) throw new Error('the fake consumer has one reader at a time');
    this.readerOpen = true;
    const signal = options.signal;
    const max = options.maxRecords ?? DEFAULT_MAX_RECORDS;
    let ended = false;
    const end = (): IteratorResult<RecordBatch<string, string>, undefined> => {
      if (!ended) {
        ended = true;
        this.readerOpen = false;
        this.wakeUp();
      }
      return { done: true, value: undefined };
    };
    const onAbort = () => this.wakeUp();
    signal?.addEventListener('abort', onAbort, { once: true });
    return {
      next: async () => {
        for (;;) {
          if (ended || this.closed || signal?.aborted === true) return end();
          const batch = this.take(max);
          if (batch instanceof Error) {
            end();
            throw batch;
          }
          if (batch !== undefined) return { done: false, value: batch };
          await new Promise<void>((resolve) => {
            this.wake = resolve;
          });
        }
      },
      return: async () => {
        this.calls.push('return');
        signal?.removeEventListener('abort', onAbort);
        return end();
      },
    };
  }

  acknowledge(record: Pick<FakeRecord, 'topic' | 'partition' | 'offset'>): void {
    const key = keyOf(record);
    const next = record.offset + 1n;
    if ((this.acknowledged.get(key) ?? -1n) < next) this.acknowledged.set(key, next);
  }

  async commit(offsets: readonly TopicPartitionOffset[]): Promise<void> {
    this.calls.push(`commit:${offsets.map((o) => `${keyOf(o)}@${o.offset}`).join(',')}`);
    if (this.closed) throw new Error('the fake consumer is closed');
    const failure = this.commitFailure?.(offsets);
    if (failure !== undefined) throw failure;
    this.commits.push([...offsets]);
  }

  async close(): Promise<void> {
    this.calls.push('close');
    this.closeCalls++;
    this.acknowledgedAtClose ??= new Map(this.acknowledged);
    this.closed = true;
    this.wakeUp();
  }

  readonly backpressure: ConsumerBackpressure = {
    pause: (partitions) => {
      this.calls.push(`pause:${partitions.map(keyOf).join(',')}`);
      this.pauseCalls++;
      for (const tp of partitions) this.pausedKeys.add(keyOf(tp));
    },
    resume: (partitions) => {
      this.calls.push(`resume:${partitions.map(keyOf).join(',')}`);
      this.resumeCalls++;
      for (const tp of partitions) this.pausedKeys.delete(keyOf(tp));
    },
    paused: () =>
      [...this.pausedKeys].map((key) => {
        const at = key.lastIndexOf(':');
        return { topic: key.slice(0, at), partition: Number(key.slice(at + 1)) };
      }),
  };

  groupMetadata(): ConsumerGroupMetadata {
    return { groupId: 'fake-group', generationId: this.generation, memberId: 'fake-member', groupInstanceId: null };
  }

  // -------------------------------------------------------------------------------------------------------------

  /**
   * Up to `max` queued records grouped by partition (in the order partitions first appear), stopping before a
   * queued failure; the failure itself when it is first; undefined when nothing is queued.
   */
  private take(max: number): RecordBatch<string, string> | Error | undefined {
    const first = this.queue[0];
    if (first === undefined) return undefined;
    if (first instanceof Error) {
      this.queue.shift();
      return first;
    }
    const byPartition = new Map<string, { topic: string; partition: number; records: FakeRecord[] }>();
    let taken = 0;
    while (taken < max && this.queue.length > 0 && !(this.queue[0] instanceof Error)) {
      const record = this.queue.shift() as FakeRecord;
      const key = keyOf(record);
      let entry = byPartition.get(key);
      if (entry === undefined) {
        entry = { topic: record.topic, partition: record.partition, records: [] };
        byPartition.set(key, entry);
      }
      entry.records.push(record);
      this.handedOut.push(record);
      taken++;
    }
    this.batchSizes.push(taken);
    const partitions: PartitionRecords<string, string>[] = [...byPartition.values()];
    return { partitions };
  }

  private unassign(keys: ReadonlySet<string>): void {
    this.assigned = this.assignment().filter((tp) => !keys.has(keyOf(tp)));
  }

  private wakeUp(): void {
    const wake = this.wake;
    this.wake = undefined;
    wake?.();
  }
}
