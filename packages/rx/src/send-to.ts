import {
  checkOptions,
  InvalidArgumentError,
  isKafkaError,
  type KafkaError,
  type ProducerRecord,
  type RecordMetadata,
} from '@vltava/core';
import { Observable, type OperatorFunction } from 'rxjs';
import { SEND_TO_OPTIONS_SCHEMA } from './option-schemas.js';
import type { ProducerLike } from './producer-like.js';
import { type RecordsOf, recordsFor, type SendTarget } from './send-target.js';

/** An emission whose records were all written: the emission itself and each record's metadata, in order. */
export interface SendSuccess<T> {
  /** Always true: tells a success from a {@link SendFailure}. */
  readonly ok: true;
  /** The emission the records were made from. */
  readonly source: T;
  /** Metadata (topic, partition, offset, timestamp) of each record sent for it, in the mapper's order. */
  readonly metadata: readonly RecordMetadata[];
}

/** An emission with a record that failed (with `errors: 'emit'`). */
export interface SendFailure<T> {
  /** Always false: tells a failure from a {@link SendSuccess}. */
  readonly ok: false;
  /** The emission the records were made from. */
  readonly source: T;
  /** The first failure among its records (the producer's typed error). */
  readonly error: KafkaError;
  /** Metadata of each record, `undefined` for those that failed. */
  readonly metadata: readonly (RecordMetadata | undefined)[];
}

/** What `sendTo` emits per emission. */
export type SendResult<T> = SendSuccess<T> | SendFailure<T>;

/** Options of {@link sendTo}. */
export interface SendToOptions {
  /**
   * Most records handed to the producer and not yet acknowledged (and emitted). Emissions beyond it wait, in order,
   * inside the operator, as `mergeMap`'s do beyond its concurrency. An emission with more records than this is sent
   * alone. Default 10000.
   */
  readonly maxInFlight?: number;
  /**
   * A failed delivery: `'error'` (default) errors the stream with the producer's typed error; `'emit'` emits a
   * {@link SendFailure} and goes on.
   */
  readonly errors?: 'error' | 'emit';
}

/** Default of {@link SendToOptions.maxInFlight}. */
export const DEFAULT_MAX_IN_FLIGHT = 10_000;

/**
 * Sends each emission to Kafka through a producer and emits, for each, its records' metadata with the emission
 * itself (`source`), in the order of the emissions.
 *
 * - **Batching.** Records go to the producer with the callback form of `send`: they accumulate in its batches
 *   (`lingerMs`, `batchSize`), so a burst of emissions becomes a few produce requests, not one per emission.
 * - **Bounded.** At most `maxInFlight` records are in flight; later emissions wait inside the operator. Use it with
 *   `fromConsumer`, whose high-water mark bounds what arrives (records are acknowledged downstream, typically by
 *   `commitOffsets`, once sent).
 * - **Completion.** When the source completes, the producer is flushed (no waiting for `lingerMs`) and the result
 *   completes only once every record is acknowledged and its result emitted.
 * - **Failures.** A record the producer could not deliver (after its retries and `deliveryTimeoutMs`) errors the
 *   stream with the producer's typed error (`KafkaTimeoutError`, `NotLeaderOrFollowerError`, ...), or with
 *   `errors: 'emit'` is emitted as a {@link SendFailure}. Records already handed over cannot be taken back: after
 *   an error or unsubscribe they still complete (or fail) in the producer.
 *
 * @example
 * ```ts
 * fromConsumer(consumer, { topics: ['orders'] })
 *   .pipe(
 *     sendTo(producer, (message) => ({ topic: 'invoices', key: message.record.key, value: invoice(message.record) })),
 *     commitOffsets(), // finds the KafkaMessage in each result's `source`
 *   )
 *   .subscribe();
 * ```
 *
 * @param producer A `Producer` (or anything with its callback `send` and `flush`).
 * @param target `{ topic }` to send each emission as a record's value, or a mapper returning the record(s) (or
 *   none) for an emission.
 * @see toProducer for a sink without results
 * @see sendTransactionally for exactly-once consume-transform-produce
 */
export function sendTo<K, V, T extends V = V>(
  producer: ProducerLike<K, V>,
  target: { readonly topic: string },
  options?: SendToOptions & { readonly errors?: 'error' },
): OperatorFunction<T, SendSuccess<T>>;
export function sendTo<K, V, T extends V = V>(
  producer: ProducerLike<K, V>,
  target: { readonly topic: string },
  options: SendToOptions & { readonly errors: 'emit' },
): OperatorFunction<T, SendResult<T>>;
export function sendTo<T, K, V>(
  producer: ProducerLike<K, V>,
  mapper: (value: T) => RecordsOf<K, V>,
  options?: SendToOptions & { readonly errors?: 'error' },
): OperatorFunction<T, SendSuccess<T>>;
export function sendTo<T, K, V>(
  producer: ProducerLike<K, V>,
  mapper: (value: T) => RecordsOf<K, V>,
  options: SendToOptions & { readonly errors: 'emit' },
): OperatorFunction<T, SendResult<T>>;
export function sendTo<T, K, V>(
  producer: ProducerLike<K, V>,
  target: SendTarget<T, K, V>,
  options: SendToOptions = {},
): OperatorFunction<T, SendResult<T>> {
  checkOptions(options, SEND_TO_OPTIONS_SCHEMA, 'sendTo()', 'call');
  return sendRecords(producer, target, options);
}

/** The implementation of {@link sendTo}, without its overloads (for `toProducer`). */
export function sendRecords<T, K, V>(
  producer: ProducerLike<K, V>,
  target: SendTarget<T, K, V>,
  options: SendToOptions,
): OperatorFunction<T, SendResult<T>> {
  const maxInFlight = options.maxInFlight ?? DEFAULT_MAX_IN_FLIGHT;
  if (!Number.isSafeInteger(maxInFlight) || maxInFlight < 1) {
    throw new InvalidArgumentError(`sendTo(): maxInFlight must be a positive integer, got ${String(maxInFlight)}`);
  }
  const emitErrors = options.errors === 'emit';
  const topic = typeof target === 'function' ? undefined : target.topic;
  return (source) =>
    new Observable<SendResult<T>>((subscriber) => {
      /**
       * Emissions waiting for room under `maxInFlight`, in order, kept compact: the emission and, for a mapper, its
       * records (mapped on arrival, so that a mapper's error surfaces at once). A `{ topic }` emission's record is
       * made when it is sent: a synchronous source of a million values then holds a million references here, not
       * a million slots, records and metadata arrays.
       */
      const waitingSources: T[] = [];
      const waitingRecords: Array<readonly ProducerRecord<K, V>[] | undefined> = [];
      let waitHead = 0;
      /** Emissions handed to the producer, in order; results leave from the front. */
      const slots: Slot<T, K, V>[] = [];
      let head = 0;
      /** Records handed to the producer whose results are not yet emitted. */
      let inFlight = 0;
      let sourceDone = false;
      let closed = false;
      let emitting = false;

      /**
       * Emits the results at the front that are complete, sends what now fits under `maxInFlight`, and completes
       * once everything is out after the source completed. Re-entrant calls (a send callback run synchronously, a
       * source fed by the downstream) fold into the running loop.
       */
      const emitReady = () => {
        if (emitting) return;
        emitting = true;
        try {
          for (;;) {
            while (head < slots.length && slots[head]!.remaining === 0) {
              const slot = slots[head]!;
              slots[head++] = undefined as unknown as Slot<T, K, V>;
              inFlight -= slot.records.length;
              if (slot.error !== undefined && !emitErrors) {
                closed = true;
                subscriber.error(slot.error);
                return;
              }
              subscriber.next(
                slot.error === undefined
                  ? { ok: true, source: slot.source, metadata: slot.metadata as RecordMetadata[] }
                  : { ok: false, source: slot.source, error: slot.error, metadata: slot.metadata },
              );
              if (closed) return;
            }
            if (head >= 1024 && head * 2 >= slots.length) {
              slots.splice(0, head);
              head = 0;
            }
            const sent = sendWaiting();
            if (closed) return;
            if (sourceDone && sent > 0) flushAfterSource();
            if (sent === 0 || head === slots.length || slots[head]!.remaining > 0) break;
          }
          if (sourceDone && head === slots.length && waitHead === waitingSources.length) subscriber.complete();
        } finally {
          emitting = false;
        }
      };

      /**
       * Once the source completed nothing more will fill the producer's batches: flush rather than wait for
       * `lingerMs`. One flush at a time (its flush mode also sends what is added meanwhile), and another when it
       * settles with records still out: a flush per record sent after completion made the flushes' promises the
       * bulk of the work for a synchronous source.
       */
      let flushing = false;
      const flushAfterSource = () => {
        if (flushing || closed) return;
        flushing = true;
        producer.flush().then(
          () => {
            flushing = false;
            if (head < slots.length || waitHead < waitingSources.length) flushAfterSource();
          },
          () => {
            flushing = false; // outcomes arrive through the send callbacks
          },
        );
      };

      /** Hands the waiting emissions that fit under `maxInFlight` to the producer; returns how many. */
      const sendWaiting = (): number => {
        let sent = 0;
        while (!closed && waitHead < waitingSources.length) {
          const value = waitingSources[waitHead]!;
          const records = waitingRecords[waitHead] ?? [{ topic: topic!, value: value as unknown as V }];
          if (inFlight > 0 && inFlight + records.length > maxInFlight) break;
          waitingSources[waitHead] = undefined as T;
          waitingRecords[waitHead] = undefined;
          waitHead++;
          inFlight += records.length;
          const slot: Slot<T, K, V> = {
            source: value,
            records,
            remaining: records.length,
            metadata: new Array<RecordMetadata | undefined>(records.length),
            error: undefined,
          };
          slots.push(slot);
          sent++;
          dispatch(slot);
        }
        if (waitHead >= 1024 && waitHead * 2 >= waitingSources.length) {
          waitingSources.splice(0, waitHead);
          waitingRecords.splice(0, waitHead);
          waitHead = 0;
        }
        return sent;
      };

      const dispatch = (slot: Slot<T, K, V>) => {
        const records = slot.records;
        for (let i = 0; i < records.length; i++) {
          if (closed) return;
          try {
            producer.send(records[i]!, (error, metadata) => {
              slot.remaining--;
              if (error !== undefined) slot.error ??= error;
              else slot.metadata[i] = metadata;
              if (slot.remaining === 0 && !closed) emitReady();
            });
          } catch (error) {
            // The callback form reports failures through the callback; a throw is a broken producer.
            slot.remaining--;
            slot.error ??= isKafkaError(error)
              ? error
              : new InvalidArgumentError(`producer.send() threw: ${String(error)}`, { cause: error });
          }
        }
      };

      const upstream = source.subscribe({
        next: (value) => {
          let records: readonly ProducerRecord<K, V>[] | undefined;
          if (topic === undefined) {
            try {
              records = recordsFor(target, value);
            } catch (error) {
              closed = true;
              subscriber.error(error);
              return;
            }
          }
          waitingSources.push(value);
          waitingRecords.push(records);
          emitReady();
        },
        error: (error: unknown) => {
          closed = true;
          subscriber.error(error);
        },
        complete: () => {
          sourceDone = true;
          if (head < slots.length || waitHead < waitingSources.length) flushAfterSource();
          emitReady();
        },
      });
      return () => {
        closed = true;
        upstream.unsubscribe();
      };
    });
}

/** One emission inside {@link sendTo}. */
interface Slot<T, K, V> {
  readonly source: T;
  readonly records: readonly ProducerRecord<K, V>[];
  /** Records without an outcome yet. */
  remaining: number;
  readonly metadata: Array<RecordMetadata | undefined>;
  error: KafkaError | undefined;
}
