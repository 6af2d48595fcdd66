import {
  AbortableTransactionError,
  type KafkaError,
  type PartitionInfo,
  type ProducerRecord,
  type RecordMetadata,
  type SendBatchOptions,
  type SendBatchResult,
  type SendCallback,
  type TransactionalProducerLike,
  type TransactionGroupMetadata,
  type TransactionOffset,
} from '@vltava/core';

/** How the fake acknowledges a record: after `delay` (scheduler time, default 0), with `error` or its metadata. */
export interface FakeAck {
  readonly delay?: number;
  readonly error?: KafkaError;
}

/** The part of an RxJS `SchedulerLike` the fake uses (a `TestScheduler` gives virtual time). */
export interface FakeScheduler {
  now(): number;
  schedule(work: () => void, delay?: number): unknown;
}

/** The default scheduler: real time; a zero delay is the next turn of the event loop. */
const REAL_TIME: FakeScheduler = {
  now: () => Date.now(),
  schedule: (work, delay = 0) => (delay > 0 ? setTimeout(work, delay) : setImmediate(work)),
};

/**
 * A producer for unit tests of the adapters, implementing core's `TransactionalProducerLike` contract.
 *
 * Each record sent (by `send` or `sendBatch`) gets its outcome from the `ack` policy, after its delay on the
 * scheduler (real time by default, a `TestScheduler`'s virtual time when given one), or waits for `ackAll()` while
 * `autoAck` is off. Offsets count up per topic and partition (partition from the record, else 0). Calls are
 * logged in `calls`: `send:<value>`, `sendBatch:<count>`, `flush`, `close`, `begin`, `offsets:<group>:t:p@o,...`,
 * `commit` / `commit-failed`, `abort`.
 */
export class FakeProducer<K = unknown, V = unknown> implements TransactionalProducerLike<K, V> {
  /** Every record handed over, with the scheduler time it was handed over at. */
  readonly sent: Array<{ readonly record: ProducerRecord<K, V>; readonly at: number }> = [];
  /** Records acknowledged (successfully), in the order of their acknowledgements. */
  readonly written: ProducerRecord<K, V>[] = [];
  /** Sizes of the `sendBatch` calls. */
  readonly batchSizes: number[] = [];
  /** Per `sendBatch` call: whether it asked for the producer's linger (`{ linger: true }`). */
  readonly lingered: boolean[] = [];
  /** Calls, in order (see the class comment). */
  readonly calls: string[] = [];
  /** Topics whose metadata was asked for. */
  readonly metadataAsked: string[] = [];
  /** The outcome of each record, by its index among all records sent. Default: acknowledged at once. */
  ack: (record: ProducerRecord<K, V>, index: number) => FakeAck = () => ({});
  /** When false, outcomes wait for {@link ackAll}. */
  autoAck = true;
  /** A failure `commitTransaction` raises besides the records' own. */
  commitFailure: KafkaError | undefined;
  flushes = 0;
  closes = 0;
  /** Records handed over whose outcome has not been given. */
  pending = 0;
  private readonly scheduler: FakeScheduler;
  private readonly offsets = new Map<string, bigint>();
  private held: Array<() => void> = [];
  private full = false;
  private bufferWaiters: Array<() => void> = [];
  private idleWaiters: Array<() => void> = [];
  private transactionErrors: KafkaError[] = [];

  constructor(scheduler: FakeScheduler = REAL_TIME) {
    this.scheduler = scheduler;
  }

  /** While true, `waitForBuffer` waits (the producer's buffer is full). */
  set bufferFull(full: boolean) {
    this.full = full;
    if (!full) for (const wake of this.bufferWaiters.splice(0)) wake();
  }

  /** Gives every held record its outcome (with `autoAck` off). */
  ackAll(): void {
    for (const settle of this.held.splice(0)) settle();
  }

  /** Records handed over and not yet given an outcome. */
  get unacknowledged(): number {
    return this.pending;
  }

  send(record: ProducerRecord<K, V>, callback: SendCallback): void {
    this.calls.push(`send:${String(record.value)}`);
    this.dispatch(record, callback);
  }

  sendBatch(records: Iterable<ProducerRecord<K, V>>, options?: SendBatchOptions): Promise<SendBatchResult> {
    const list = [...records];
    this.calls.push(`sendBatch:${list.length}`);
    this.lingered.push(options?.linger === true);
    this.batchSizes.push(list.length);
    const metadata: Array<RecordMetadata | undefined> = new Array(list.length);
    const errors: Array<KafkaError | undefined> = new Array(list.length);
    let remaining = list.length;
    let succeeded = 0;
    return new Promise((resolve) => {
      const done = () =>
        resolve({
          count: list.length,
          succeeded,
          failed: list.length - succeeded,
          firstError: errors.find((e) => e !== undefined),
          metadata: (i) => metadata[i],
          error: (i) => errors[i],
        });
      if (remaining === 0) {
        done();
        return;
      }
      for (let i = 0; i < list.length; i++) {
        this.dispatch(list[i]!, (error, meta) => {
          if (error === undefined) succeeded++;
          errors[i] = error;
          metadata[i] = meta;
          if (--remaining === 0) done();
        });
      }
    });
  }

  waitForBuffer(): Promise<void> {
    if (!this.full) return Promise.resolve();
    return new Promise((resolve) => this.bufferWaiters.push(resolve));
  }

  async partitionsFor(topic: string): Promise<readonly PartitionInfo[]> {
    this.metadataAsked.push(topic);
    return [
      { topic, partition: 0, leader: 0, leaderEpoch: 0, replicas: [0], isr: [0], offlineReplicas: [], errorCode: 0 },
    ];
  }

  /** Resolves once every record handed over before has its outcome (as the real `flush`). */
  flush(): Promise<void> {
    this.calls.push('flush');
    this.flushes++;
    return this.idle();
  }

  async close(): Promise<void> {
    this.calls.push('close');
    this.closes++;
    await this.idle();
  }

  beginTransaction(): void {
    this.calls.push('begin');
    this.transactionErrors = [];
  }

  async sendOffsetsToTransaction(
    offsets: readonly TransactionOffset[],
    groupMetadata: TransactionGroupMetadata | string,
  ): Promise<void> {
    const group = typeof groupMetadata === 'string' ? groupMetadata : groupMetadata.groupId;
    this.calls.push(`offsets:${group}:${offsets.map((o) => `${o.topic}:${o.partition}@${o.offset}`).join(',')}`);
  }

  async commitTransaction(): Promise<void> {
    await this.idle();
    const failed = this.transactionErrors[0] ?? this.commitFailure;
    if (failed !== undefined) {
      this.calls.push('commit-failed');
      throw new AbortableTransactionError(`a record of the transaction failed: ${failed.message}`, { cause: failed });
    }
    this.calls.push('commit');
  }

  async abortTransaction(): Promise<void> {
    this.calls.push('abort');
  }

  private dispatch(record: ProducerRecord<K, V>, callback: SendCallback): void {
    const index = this.sent.length;
    this.sent.push({ record, at: this.scheduler.now() });
    const { delay = 0, error } = this.ack(record, index);
    this.pending++;
    const settle = () => {
      this.pending--;
      if (error !== undefined) {
        this.transactionErrors.push(error);
        callback(error, undefined);
      } else {
        this.written.push(record);
        callback(undefined, this.metadata(record));
      }
      if (this.pending === 0) for (const waiter of this.idleWaiters.splice(0)) waiter();
    };
    if (this.autoAck) this.scheduler.schedule(settle, delay);
    else this.held.push(settle);
  }

  private idle(): Promise<void> {
    if (this.pending === 0) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  private metadata(record: ProducerRecord<K, V>): RecordMetadata {
    const partition = record.partition ?? 0;
    const key = `${record.topic}:${partition}`;
    const offset = this.offsets.get(key) ?? 0n;
    this.offsets.set(key, offset + 1n);
    const value = record.value as unknown;
    return {
      topic: record.topic,
      partition,
      offset,
      timestamp: 0,
      serializedKeySize: -1,
      serializedValueSize: value === null || value === undefined ? -1 : String(value).length,
    };
  }
}
