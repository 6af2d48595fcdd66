import type {
  ConsumerBackpressure,
  ConsumerGroupMetadata,
  ConsumerRebalanceListener,
  ConsumerRecord,
  DeliveryMode,
  TopicPartition,
  TopicPartitionOffset,
} from '@vltava/core';
import type { ConsumerLike, GroupConsumerLike } from '../../src/consumer-like.js';

/** Makes a record as the core consumer delivers it (string key and value). */
export function makeRecord(
  topic: string,
  partition: number,
  offset: number | bigint,
  value = `v${String(offset)}`,
): ConsumerRecord<string, string> {
  return {
    topic,
    partition,
    offset: BigInt(offset),
    timestamp: 0,
    timestampType: 'CreateTime',
    key: `k${String(offset)}`,
    value,
    headers: [],
    leaderEpoch: 0,
    serializedKeySize: 0,
    serializedValueSize: Buffer.byteLength(value),
  };
}

const key = (tp: TopicPartition) => `${tp.topic}:${tp.partition}`;

/**
 * A consumer for unit tests of the Rx operators: records are pushed by the test, reads wait for them like the real
 * iterator (and end promptly on `return()`), and every call the operators make is recorded in `calls`.
 */
export class FakeConsumer implements ConsumerLike<string, string>, GroupConsumerLike {
  /** Every call, in order: `subscribe`, `records`, `next`, `return`, `acknowledge:t:p@o`, `commit`, ... */
  readonly calls: string[] = [];
  readonly commits: TopicPartitionOffset[][] = [];
  /** The offset (last acknowledged + 1) the consumer was told, by `topic:partition`. */
  readonly acknowledged = new Map<string, bigint>();
  /** Partitions paused by backpressure now. */
  readonly pausedKeys = new Set<string>();
  /** How many records the operators took from the iterator. */
  pulled = 0;
  listener: ConsumerRebalanceListener | undefined;
  closed = false;
  /** What the next commits do: resolve (default), or reject with this error. */
  commitFailure: ((offsets: readonly TopicPartitionOffset[]) => Error | undefined) | undefined;
  generation = 1;
  private assigned: TopicPartition[] = [];
  private queue: Array<ConsumerRecord<string, string> | Error> = [];
  private waiter: (() => void) | undefined;
  private readerOpen = false;

  subscribe(topics: string | readonly string[] | RegExp, listener?: ConsumerRebalanceListener): void {
    if (this.closed) throw new Error('closed');
    this.calls.push(`subscribe:${String(topics)}`);
    this.listener = listener;
  }

  async unsubscribe(): Promise<void> {
    this.calls.push('unsubscribe');
    const owned = this.assigned;
    this.assigned = [];
    if (owned.length > 0) await this.listener?.onPartitionsRevoked?.(owned);
    this.listener = undefined;
  }

  assignment(): TopicPartition[] {
    return [...this.assigned];
  }

  /** Sets the assignment as `assign()` would (no listener). */
  assign(partitions: TopicPartition[]): void {
    this.assigned = [...partitions];
  }

  records(options?: { readonly mode?: DeliveryMode }): AsyncIterator<ConsumerRecord<string, string>> {
    this.calls.push(`records:${options?.mode ?? 'at-least-once'}`);
    if (this.readerOpen) throw new Error('another reader is open');
    this.readerOpen = true;
    let done = false;
    const finish = () => {
      done = true;
      this.readerOpen = false;
      this.waiter?.();
    };
    return {
      next: async () => {
        for (;;) {
          if (done || this.closed) return { done: true, value: undefined };
          const item = this.queue.shift();
          if (item instanceof Error) {
            finish();
            throw item;
          }
          if (item !== undefined) {
            this.pulled++;
            return { done: false, value: item };
          }
          await new Promise<void>((resolve) => {
            this.waiter = resolve;
          });
          this.waiter = undefined;
        }
      },
      return: async () => {
        this.calls.push('return');
        finish();
        return { done: true, value: undefined };
      },
    };
  }

  acknowledge(record: Pick<ConsumerRecord<unknown, unknown>, 'topic' | 'partition' | 'offset'>): void {
    this.acknowledged.set(key(record), record.offset + 1n);
  }

  async commit(offsets: readonly TopicPartitionOffset[]): Promise<void> {
    this.calls.push(`commit:${offsets.map((o) => `${o.topic}:${o.partition}@${o.offset}`).join(',')}`);
    const failure = this.commitFailure?.(offsets);
    if (failure !== undefined) throw failure;
    this.commits.push([...offsets]);
  }

  async close(): Promise<void> {
    this.calls.push('close');
    this.closed = true;
    this.waiter?.();
  }

  readonly backpressure: ConsumerBackpressure = {
    pause: (partitions) => {
      this.calls.push(`pause:${partitions.map(key).join(',')}`);
      for (const tp of partitions) this.pausedKeys.add(key(tp));
    },
    resume: (partitions) => {
      this.calls.push(`resume:${partitions.map(key).join(',')}`);
      for (const tp of partitions) this.pausedKeys.delete(key(tp));
    },
    paused: () =>
      [...this.pausedKeys].map((k) => {
        const [topic, partition] = k.split(':');
        return { topic: topic!, partition: Number(partition) };
      }),
  };

  groupMetadata(): ConsumerGroupMetadata {
    return { groupId: 'g', generationId: this.generation, memberId: 'm', groupInstanceId: null };
  }

  /** Hands records to the reader. */
  push(...records: ConsumerRecord<string, string>[]): void {
    this.queue.push(...records);
    this.waiter?.();
  }

  /** Makes the next read fail (after the records queued before it). */
  fail(error: Error): void {
    this.queue.push(error);
    this.waiter?.();
  }

  /** Records queued and not yet read. */
  get queued(): number {
    return this.queue.length;
  }

  /** A rebalance assigns partitions (awaits the listener). */
  async rebalanceAssign(partitions: TopicPartition[]): Promise<void> {
    this.assigned.push(...partitions);
    await this.listener?.onPartitionsAssigned?.(partitions);
  }

  /** A rebalance revokes partitions: their queued records are dropped, then the listener is awaited. */
  async rebalanceRevoke(partitions: TopicPartition[]): Promise<void> {
    const keys = new Set(partitions.map(key));
    this.queue = this.queue.filter((item) => item instanceof Error || !keys.has(key(item)));
    this.assigned = this.assigned.filter((tp) => !keys.has(key(tp)));
    await this.listener?.onPartitionsRevoked?.(partitions);
  }

  /** Partitions are lost (no orderly handover). */
  async rebalanceLose(partitions: TopicPartition[]): Promise<void> {
    const keys = new Set(partitions.map(key));
    this.assigned = this.assigned.filter((tp) => !keys.has(key(tp)));
    await this.listener?.onPartitionsLost?.(partitions);
  }
}

/** Resolves after pending promise callbacks and one turn of the event loop ran. */
export function settle(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

/** Waits until `predicate` holds (checking after each event-loop turn), or fails after `timeoutMs`. */
export async function until(predicate: () => boolean, what: string, timeoutMs = 2000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!predicate()) {
    if (Date.now() > deadline) throw new Error(`Timed out waiting for: ${what}`);
    await settle();
  }
}
