import type { KafkaError, ProducerRecord, RecordMetadata, SendBatchResult, SendCallback } from '@vltava/core';
import type { StreamProducer } from '../../src/stream-producer.js';

type Outcome = { error: KafkaError | undefined; metadata: RecordMetadata | undefined };

/**
 * A producer double for unit tests of the stream layer: acknowledges records when told to (or at once with
 * `autoAck`), fails the records `failWith` picks, and holds `waitForBuffer` while `bufferFull`.
 */
export class FakeProducer implements StreamProducer<unknown, unknown> {
  /** Records acknowledged, in order. */
  readonly written: ProducerRecord<unknown, unknown>[] = [];
  /** Sizes of the `sendBatch` calls. */
  readonly batchSizes: number[] = [];
  autoAck = true;
  failWith: ((record: ProducerRecord<unknown, unknown>) => KafkaError | undefined) | undefined;
  flushes = 0;
  closes = 0;
  /** `sendBatch`, `flush` and `close` calls, in order. */
  readonly calls: Array<'sendBatch' | 'flush' | 'close'> = [];
  private pending: Array<() => void> = [];
  private full = false;
  private bufferWaiters: Array<() => void> = [];
  private nextOffset = 0n;

  /** Records sent and not yet acknowledged. */
  get unacknowledged(): number {
    return this.pending.length;
  }

  set bufferFull(full: boolean) {
    this.full = full;
    if (!full) for (const wake of this.bufferWaiters.splice(0)) wake();
  }

  /** Acknowledges (or fails) every record sent so far. */
  ackAll(): void {
    for (const settle of this.pending.splice(0)) settle();
  }

  private outcome(record: ProducerRecord<unknown, unknown>, done: (outcome: Outcome) => void): void {
    const settle = () => {
      const error = this.failWith?.(record);
      if (error !== undefined) {
        done({ error, metadata: undefined });
        return;
      }
      this.written.push(record);
      done({
        error: undefined,
        metadata: {
          topic: record.topic,
          partition: record.partition ?? 0,
          offset: this.nextOffset++,
          timestamp: 0,
          serializedKeySize: -1,
          serializedValueSize: 1,
        },
      });
    };
    if (this.autoAck) setImmediate(settle);
    else this.pending.push(settle);
  }

  async sendBatch(records: Iterable<ProducerRecord<unknown, unknown>>): Promise<SendBatchResult> {
    const list = [...records];
    this.calls.push('sendBatch');
    this.batchSizes.push(list.length);
    const outcomes = await Promise.all(list.map((r) => new Promise<Outcome>((resolve) => this.outcome(r, resolve))));
    const errors = outcomes.map((o) => o.error);
    return {
      count: list.length,
      succeeded: errors.filter((e) => e === undefined).length,
      failed: errors.filter((e) => e !== undefined).length,
      firstError: errors.find((e) => e !== undefined),
      metadata: (i) => outcomes[i]?.metadata,
      error: (i) => outcomes[i]?.error,
    };
  }

  send(record: ProducerRecord<unknown, unknown>, callback: SendCallback): void {
    this.outcome(record, (o) => callback(o.error, o.metadata));
  }

  /** Topics whose metadata was asked for. */
  readonly metadataAsked: string[] = [];

  async partitionsFor(topic: string): Promise<readonly unknown[]> {
    this.metadataAsked.push(topic);
    return [{ topic, partition: 0 }];
  }

  waitForBuffer(): Promise<void> {
    if (!this.full) return Promise.resolve();
    return new Promise((resolve) => this.bufferWaiters.push(resolve));
  }

  async flush(): Promise<void> {
    this.calls.push('flush');
    this.flushes++;
  }

  async close(): Promise<void> {
    this.calls.push('close');
    this.closes++;
  }

  /** True when every `sendBatch` was followed at once by a `flush` (nothing waits for `lingerMs`). */
  get everyBatchFlushed(): boolean {
    return this.calls.every((call, i) => call !== 'sendBatch' || this.calls[i + 1] === 'flush');
  }
}
