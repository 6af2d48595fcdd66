import type { ConsumerRecord, TopicPartition, TopicPartitionOffset } from '@vltava/core';
import type { StreamConsumer, StreamRecordBatch } from '../../src/stream-consumer.js';

/** A record as the fake consumer hands it out (values are strings). */
export type FakeRecord = ConsumerRecord<string | null, string>;

/** Makes a record of `topic`-`partition` at `offset`. */
export function fakeRecord(topic: string, partition: number, offset: number): FakeRecord {
  return {
    topic,
    partition,
    offset: BigInt(offset),
    timestamp: 0,
    timestampType: 'CreateTime',
    key: null,
    value: `${topic}-${partition}@${offset}`,
    headers: [],
    leaderEpoch: 0,
    serializedKeySize: -1,
    serializedValueSize: 1,
  };
}

/**
 * A consumer double for unit tests of the stream layer: hands out queued records through a `manual`-mode iterator,
 * and records acknowledgements, commits, pauses and closes.
 */
export class FakeConsumer implements StreamConsumer<string | null, string> {
  readonly queue: FakeRecord[] = [];
  /** Acknowledged next offset per `topic:partition`. */
  readonly acknowledged = new Map<string, bigint>();
  readonly commits: TopicPartitionOffset[][] = [];
  readonly modes: string[] = [];
  readonly pausedNow = new Set<string>();
  pauseCalls = 0;
  resumeCalls = 0;
  closeCalls = 0;
  closed = false;
  /** Makes the next commits fail with this error. */
  failCommits: Error | undefined;
  /** Snapshot of `acknowledged` when `close()` was called. */
  acknowledgedAtClose: Map<string, bigint> | undefined;
  private wake: (() => void) | undefined;
  private readerOpen = false;

  /** Queues `count` records of a partition from `from`. */
  add(topic: string, partition: number, count: number, from = 0): void {
    for (let i = 0; i < count; i++) this.queue.push(fakeRecord(topic, partition, from + i));
    this.wakeUp();
  }

  /** Records handed out so far. */
  readonly handedOut: FakeRecord[] = [];
  /** Sizes of the batches handed out. */
  readonly batchSizes: number[] = [];

  batches(options: {
    signal?: AbortSignal;
    mode?: string;
    maxRecords?: number;
  }): AsyncIterator<StreamRecordBatch<string | null, string>, undefined> {
    if (this.readerOpen) throw new Error('one reader at a time');
    this.readerOpen = true;
    this.modes.push(options.mode ?? 'at-least-once');
    const signal = options.signal;
    const max = options.maxRecords ?? 500;
    let ended = false;
    const end = (): IteratorResult<StreamRecordBatch<string | null, string>, undefined> => {
      ended = true;
      this.readerOpen = false;
      return { done: true, value: undefined };
    };
    signal?.addEventListener('abort', () => this.wakeUp());
    return {
      next: async () => {
        for (;;) {
          if (ended || this.closed || signal?.aborted === true) return end();
          if (this.queue.length > 0) {
            const taken = this.queue.splice(0, max);
            this.handedOut.push(...taken);
            this.batchSizes.push(taken.length);
            // Grouped by partition, as the consumer does.
            const byPartition = new Map<string, FakeRecord[]>();
            for (const r of taken) {
              const key = `${r.topic}:${r.partition}`;
              byPartition.set(key, [...(byPartition.get(key) ?? []), r]);
            }
            return { done: false, value: { partitions: [...byPartition.values()].map((records) => ({ records })) } };
          }
          await new Promise<void>((resolve) => {
            this.wake = resolve;
          });
        }
      },
      return: async () => end(),
    };
  }

  /** Partitions assigned: every partition records were added for, unless set. */
  assigned: TopicPartition[] | undefined;

  assignment(): TopicPartition[] {
    if (this.assigned !== undefined) return this.assigned;
    const keys = new Set([...this.queue, ...this.handedOut].map((r) => `${r.topic}:${r.partition}`));
    return [...keys].map((key) => ({ topic: key.split(':')[0]!, partition: Number(key.split(':')[1]) }));
  }

  acknowledge(record: { topic: string; partition: number; offset: bigint }): void {
    const key = `${record.topic}:${record.partition}`;
    const next = record.offset + 1n;
    if ((this.acknowledged.get(key) ?? -1n) < next) this.acknowledged.set(key, next);
  }

  async commit(offsets: readonly TopicPartitionOffset[]): Promise<void> {
    if (this.closed) throw new Error('closed');
    if (this.failCommits !== undefined) throw this.failCommits;
    this.commits.push([...offsets]);
  }

  async close(): Promise<void> {
    this.closeCalls++;
    this.acknowledgedAtClose ??= new Map(this.acknowledged);
    this.closed = true;
    this.wakeUp();
  }

  readonly backpressure = {
    pause: (partitions: readonly TopicPartition[]) => {
      this.pauseCalls++;
      for (const p of partitions) this.pausedNow.add(`${p.topic}:${p.partition}`);
    },
    resume: (partitions: readonly TopicPartition[]) => {
      this.resumeCalls++;
      for (const p of partitions) this.pausedNow.delete(`${p.topic}:${p.partition}`);
    },
    paused: (): TopicPartition[] =>
      [...this.pausedNow].map((key) => {
        const [topic, partition] = key.split(':');
        return { topic: topic!, partition: Number(partition) };
      }),
  };

  /** The offsets of the last commit, by `topic:partition`. */
  lastCommitted(): Map<string, bigint> {
    const map = new Map<string, bigint>();
    for (const commit of this.commits) for (const o of commit) map.set(`${o.topic}:${o.partition}`, o.offset);
    return map;
  }

  private wakeUp(): void {
    const wake = this.wake;
    this.wake = undefined;
    wake?.();
  }
}
