import {
  AbortableTransactionError,
  type KafkaError,
  type ProducerRecord,
  type RecordMetadata,
  type SendCallback,
  type TransactionGroupMetadata,
  type TransactionOffset,
} from '@vltava/core';
import { asyncScheduler, type SchedulerLike } from 'rxjs';
import type { TransactionalProducerLike } from '../../src/producer-like.js';

/** How the fake acknowledges a record: after `delay` (scheduler time), with an error or its metadata. */
export interface FakeAck {
  readonly delay: number;
  readonly error?: KafkaError;
}

/**
 * A producer for unit tests of the Rx operators: `send` records the record and the scheduler time, and calls back
 * after the delay `ack(record, index)` chooses (virtual time under a `TestScheduler`). Offsets count up per topic
 * and partition (partition from the record, else 0). Transaction calls are logged in `calls`.
 */
export class FakeProducer implements TransactionalProducerLike<string | null, string | null> {
  readonly sent: Array<{ record: ProducerRecord<string | null, string | null>; at: number }> = [];
  readonly calls: string[] = [];
  flushes = 0;
  /** Records sent whose callback has not run. */
  pending = 0;
  ack: (record: ProducerRecord<string | null, string | null>, index: number) => FakeAck = () => ({ delay: 3 });
  /** What commitTransaction does besides waiting for the records (default: resolves). */
  commitFailure: KafkaError | undefined;
  private readonly scheduler: SchedulerLike;
  private readonly offsets = new Map<string, bigint>();
  private transactionErrors: KafkaError[] = [];
  private idleWaiters: Array<() => void> = [];

  constructor(scheduler: SchedulerLike = asyncScheduler) {
    this.scheduler = scheduler;
  }

  send(record: ProducerRecord<string | null, string | null>, callback: SendCallback): void {
    const index = this.sent.length;
    this.sent.push({ record, at: this.scheduler.now() });
    this.calls.push(`send:${String(record.value)}`);
    const { delay, error } = this.ack(record, index);
    this.pending++;
    this.scheduler.schedule(() => {
      this.pending--;
      if (error !== undefined) {
        this.transactionErrors.push(error);
        callback(error, undefined);
      } else {
        callback(undefined, this.metadata(record));
      }
      if (this.pending === 0) for (const waiter of this.idleWaiters.splice(0)) waiter();
    }, delay);
  }

  flush(): Promise<void> {
    this.flushes++;
    return this.idle();
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

  private idle(): Promise<void> {
    if (this.pending === 0) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  private metadata(record: ProducerRecord<string | null, string | null>): RecordMetadata {
    const partition = record.partition ?? 0;
    const key = `${record.topic}:${partition}`;
    const offset = this.offsets.get(key) ?? 0n;
    this.offsets.set(key, offset + 1n);
    return {
      topic: record.topic,
      partition,
      offset,
      timestamp: 0,
      serializedKeySize: -1,
      serializedValueSize: record.value === null || record.value === undefined ? -1 : record.value.length,
    };
  }
}
