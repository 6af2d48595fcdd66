import {
  type ConsumerLike,
  InvalidArgumentError,
  isKafkaError,
  type KafkaError,
  type RecordsOf,
  type TransactionalProducerLike,
  type TransactionOffset,
} from '@vltava/core';
import { checkOptions } from '@vltava/core/internal';
import { asyncScheduler, Observable, type OperatorFunction, type SchedulerLike, type Subscription } from 'rxjs';
import type { KafkaMessage } from './kafka-message.js';
import { SEND_TRANSACTIONALLY_OPTIONS_SCHEMA } from './option-schemas.js';
import { recordArray } from './send-target.js';

/** Options of {@link sendTransactionally}. */
export interface SendTransactionallyOptions {
  /** Messages per transaction at most. Default 500. */
  readonly maxBatch?: number;
  /** Longest time a transaction stays open after its first message, in ms. Default 100. */
  readonly maxIntervalMs?: number;
  /** Scheduler of the `maxIntervalMs` timer. Default `asyncScheduler`. */
  readonly scheduler?: SchedulerLike;
}

/** One committed transaction, as {@link sendTransactionally} emits it. */
export interface CommittedTransaction {
  /** Messages consumed in it. */
  readonly messages: number;
  /** Records produced in it. */
  readonly records: number;
  /** The consumer offsets committed with it (next offset to read, per partition). */
  readonly offsets: readonly TransactionOffset[];
}

/**
 * Consume-transform-produce with exactly-once semantics: each batch of consumed messages (up to `maxBatch`, or
 * what arrived within `maxIntervalMs`) becomes one transaction holding the records the mapper made from them and
 * the consumer's offsets after them (`sendOffsetsToTransaction` with the consumer's group metadata, KIP-447).
 * Either both become visible (to `read_committed` consumers and to the group) or neither does.
 *
 * - Records are sent as messages arrive (they accumulate in the producer's batches); the transaction commits when
 *   the batch closes. Messages arriving during a commit wait for the next transaction.
 * - A message counts for its partition's offset even when the mapper returns no record for it (a filter).
 * - After a commit, the batch's messages are acknowledged (so `fromConsumer`'s backpressure moves on); with this
 *   operator there is no need for `commitOffsets`. Set `enableAutoCommit: false` on the consumer so that nothing
 *   commits offsets outside the transactions.
 * - Messages must arrive in their partition's order, as `fromConsumer` emits them (`map`, `filter`, `concatMap`
 *   keep it; `mergeMap` does not).
 * - A failure (a record the producer could not deliver, a fenced producer, a rebalance that made the consumer's
 *   generation stale) aborts the transaction and errors the stream with the producer's typed error: nothing of the
 *   batch is visible, and after a `retry()` with a fresh consumer (a `fromConsumer` factory) the batch is read and
 *   processed again from the last committed transaction. Unsubscribing aborts an open transaction.
 *
 * The producer needs a `transactionalId` and `initTransactions()` before use; one stream per producer.
 *
 * @example
 * ```ts
 * const producer = new Producer({ brokers, transactionalId: 'enricher-1' });
 * await producer.initTransactions();
 * const consumer = new Consumer({ brokers, groupId: 'enricher', enableAutoCommit: false, isolationLevel: 'read_committed' });
 * fromConsumer(consumer, { topics: ['raw'] })
 *   .pipe(sendTransactionally(producer, consumer, (m) => ({ topic: 'enriched', key: m.record.key, value: enrich(m.record.value) })))
 *   .subscribe();
 * ```
 *
 * @param producer A transactional `Producer`, initialised.
 * @param consumer The consumer the messages come from (for its group metadata).
 * @param mapper The record(s) to produce for a message, or none.
 * @see fromConsumer
 * @see sendTo
 */
export function sendTransactionally<K, V, PK, PV>(
  producer: TransactionalProducerLike<PK, PV>,
  consumer: Pick<ConsumerLike<unknown, unknown>, 'groupMetadata'>,
  mapper: (message: KafkaMessage<K, V>) => RecordsOf<PK, PV>,
  options: SendTransactionallyOptions = {},
): OperatorFunction<KafkaMessage<K, V>, CommittedTransaction> {
  checkOptions(options, SEND_TRANSACTIONALLY_OPTIONS_SCHEMA, 'sendTransactionally()', 'call');
  const maxBatch = options.maxBatch ?? 500;
  const maxIntervalMs = options.maxIntervalMs ?? 100;
  if (!Number.isSafeInteger(maxBatch) || maxBatch < 1) {
    throw new InvalidArgumentError(
      `sendTransactionally(): maxBatch must be a positive integer, got ${String(maxBatch)}`,
    );
  }
  if (!Number.isFinite(maxIntervalMs) || maxIntervalMs < 0) {
    throw new InvalidArgumentError(
      `sendTransactionally(): maxIntervalMs must be a number >= 0, got ${String(maxIntervalMs)}`,
    );
  }
  const scheduler = options.scheduler ?? asyncScheduler;

  return (source) =>
    new Observable<CommittedTransaction>((subscriber) => {
      /** The open transaction's messages (sent), or undefined when none is open. */
      let batch: Batch<K, V> | undefined;
      /** Messages that arrived while a transaction was committing (or an earlier stream's abort settled). */
      let waiting: KafkaMessage<K, V>[] = [];
      /** True while a commit runs, or while the abort left by an earlier subscription on this producer settles. */
      let committing = false;
      const aborting = pendingAborts.get(producer);
      if (aborting !== undefined) {
        committing = true;
        void aborting.then(() => {
          committing = false;
          drain();
        });
      }
      let timer: Subscription | undefined;
      let sourceDone = false;
      let closed = false;

      const fail = (error: unknown) => {
        if (closed) return;
        closed = true;
        timer?.unsubscribe();
        subscriber.error(error);
      };

      const add = (message: KafkaMessage<K, V>) => {
        if (batch === undefined) {
          producer.beginTransaction();
          batch = { messages: [], records: 0, error: undefined };
          timer = scheduler.schedule(() => {
            timer = undefined;
            void commit();
          }, maxIntervalMs);
        }
        const open = batch;
        open.messages.push(message);
        const records = recordArray(mapper(message));
        for (const record of records) {
          open.records++;
          producer.send(record, (error) => {
            if (error !== undefined) open.error ??= error;
          });
        }
        if (open.messages.length >= maxBatch) void commit();
      };

      const commit = async () => {
        const open = batch;
        if (open === undefined || committing || closed) return;
        timer?.unsubscribe();
        timer = undefined;
        committing = true;
        batch = undefined;
        const offsets = offsetsAfter(open.messages);
        try {
          await producer.sendOffsetsToTransaction(offsets, consumer.groupMetadata());
          await producer.commitTransaction();
          if (open.error !== undefined) throw open.error;
        } catch (error) {
          committing = false;
          await abort(producer);
          fail(isKafkaError(error) ? error : new InvalidArgumentError(String(error), { cause: error }));
          return;
        }
        committing = false;
        if (closed) return;
        for (const message of open.messages) message.ack();
        subscriber.next({ messages: open.messages.length, records: open.records, offsets });
        drain();
      };

      /** After a commit: the messages that waited go into the next transaction; completes when all is done. */
      const drain = () => {
        const next = waiting;
        waiting = [];
        try {
          for (let i = 0; i < next.length; i++) {
            if (closed) return;
            if (committing) {
              waiting.push(...next.slice(i));
              return;
            }
            add(next[i]!);
          }
        } catch (error) {
          fail(error);
          return;
        }
        if (sourceDone && !committing) {
          if (batch !== undefined) void commit();
          else if (waiting.length === 0 && !closed) subscriber.complete();
        }
      };

      const upstream = source.subscribe({
        next: (message) => {
          if (closed) return;
          if (committing) {
            waiting.push(message);
            return;
          }
          try {
            add(message);
          } catch (error) {
            fail(error);
          }
        },
        error: (error: unknown) => fail(error),
        complete: () => {
          sourceDone = true;
          if (committing) return;
          if (batch !== undefined) void commit();
          else subscriber.complete();
        },
      });

      return () => {
        closed = true;
        upstream.unsubscribe();
        timer?.unsubscribe();
        // A transaction left open (unsubscribed, or failed before its commit) is aborted; one committing finishes.
        if (batch !== undefined) {
          batch = undefined;
          abort(producer);
        }
      };
    });
}

/**
 * Aborts running per producer: a stream that fails (or is unsubscribed) aborts its transaction, and a new
 * subscription on the same producer (a `retry()`) begins its first transaction only once that abort settled.
 */
const pendingAborts = new WeakMap<object, Promise<void>>();

function abort(producer: TransactionalProducerLike<unknown, unknown>): Promise<void> {
  const previous = pendingAborts.get(producer) ?? Promise.resolve();
  const running = previous.then(() => producer.abortTransaction().catch(() => undefined));
  pendingAborts.set(producer, running);
  void running.then(() => {
    if (pendingAborts.get(producer) === running) pendingAborts.delete(producer);
  });
  return running;
}

interface Batch<K, V> {
  readonly messages: KafkaMessage<K, V>[];
  records: number;
  error: KafkaError | undefined;
}

/** The offset after the last message of each partition in a batch, with that message's leader epoch. */
function offsetsAfter(messages: readonly KafkaMessage<unknown, unknown>[]): TransactionOffset[] {
  const last = new Map<string, KafkaMessage<unknown, unknown>>();
  for (const message of messages) last.set(`${message.topic}:${message.partition}`, message);
  return [...last.values()].map((m) => ({
    topic: m.topic,
    partition: m.partition,
    offset: m.offset + 1n,
    ...(m.record.leaderEpoch === undefined ? {} : { leaderEpoch: m.record.leaderEpoch }),
  }));
}
