import {
  InvalidArgumentError,
  isKafkaError,
  type ProducerLike,
  type ProducerRecord,
  type RecordsOf,
  type SendBatchResult,
  type SendResult,
  type SendSuccess,
  type SendTarget,
} from '@vltava/core';
import { checkOptions, sendResultOf } from '@vltava/core/internal';
import { Observable, type OperatorFunction } from 'rxjs';
import { ChunkedQueue } from './chunked-queue.js';
import { SEND_TO_OPTIONS_SCHEMA } from './option-schemas.js';
import { type MappedRecords, mappedCount, mappedRecords } from './send-target.js';

/** Options of {@link sendTo}. */
export interface SendToOptions {
  /**
   * Most records handed to the producer and not yet acknowledged (and emitted). Emissions beyond it wait, in order,
   * inside the operator, as `mergeMap`'s do beyond its concurrency; while they wait the producer is flushed (nothing
   * can join its batches until acknowledgements come back, so lingering would only add latency). An emission with
   * more records than this is sent alone. Default 10000.
   */
  readonly maxInFlight?: number;
  /**
   * A failed delivery: `'error'` (default) errors the stream with the producer's typed error; `'emit'` emits a
   * `SendFailure` and goes on.
   */
  readonly errors?: 'error' | 'emit';
}

/** Default of {@link SendToOptions.maxInFlight}. */
export const DEFAULT_MAX_IN_FLIGHT = 10_000;

/** Most records handed to the producer in one `sendBatch` call. */
const RUN_LIMIT = 4096;
/** The producer's linger gathers a trickle of emissions into few requests; the completion flushes. */
const LINGER = { linger: true } as const;

/**
 * Sends each emission to Kafka through a producer and emits, for each, its records' metadata with the emission
 * itself (`source`), in the order of the emissions: a `SendResult` from `@vltava/core`, the same shape
 * `@vltava/streams`' send streams emit.
 *
 * - **Batching.** The emissions of one synchronous burst (up to 4096 records) go to the producer as one array
 *   (`sendBatch`: one Promise for the array, none per record), and accumulate in its batches (`lingerMs`,
 *   `batchSize`): a trickle of emissions is still gathered into few produce requests by the producer's linger, and
 *   a burst is not held back by it.
 * - **Bounded.** At most `maxInFlight` records are in flight; later emissions wait inside the operator. Use it with
 *   `fromConsumer`, whose high-water mark bounds what arrives (records are acknowledged downstream, typically by
 *   `commitOffsets`, once sent).
 * - **Completion.** When the source completes, the producer is flushed (no waiting for `lingerMs`) and the result
 *   completes only once every record is acknowledged and its result emitted.
 * - **Failures.** A record the producer could not deliver (after its retries and `deliveryTimeoutMs`) errors the
 *   stream with the producer's typed error (`KafkaTimeoutError`, `NotLeaderOrFollowerError`, ...), or with
 *   `errors: 'emit'` is emitted as a `SendFailure`. Records already handed over cannot be taken back: after an
 *   error or unsubscribe they still complete (or fail) in the producer.
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
 * @param producer A `Producer` (or anything with its `ProducerLike` contract).
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
export function sendTo<T, K, V>(
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
  if (typeof target !== 'function' && (typeof target?.topic !== 'string' || target.topic === '')) {
    throw new InvalidArgumentError('sendTo(): the target is { topic: "name" } or a function mapping an emission');
  }
  const emitErrors = options.errors === 'emit';
  const mapper = typeof target === 'function' ? target : undefined;
  const topic = typeof target === 'function' ? '' : target.topic;
  return (source) =>
    new Observable<SendResult<T>>((subscriber) => {
      /**
       * Emissions waiting for room under `maxInFlight`, in order: the emission and, for a mapper, its records (mapped
       * on arrival, so that a mapper's error surfaces at once). A `{ topic }` emission's record is made when it is
       * handed over: a synchronous source of a million values holds a million references here, not a million
       * records. `waitingRecords` is used with a mapper only.
       */
      const waitingSources = new ChunkedQueue<T>();
      const waitingRecords = new ChunkedQueue<MappedRecords<K, V>>();
      /** Runs handed to the producer (or being gathered, the last one), in order; results leave from the front. */
      const runs: Run<T, K, V>[] = [];
      let head = 0;
      /** The run gathering the emissions of this synchronous burst, until its microtask hands it over. */
      let open: Run<T, K, V> | undefined;
      /** Records handed to the producer (or gathered) whose results are not yet emitted. */
      let inFlight = 0;
      let sourceDone = false;
      let closed = false;
      let emitting = false;

      const fail = (error: unknown) => {
        if (closed) return;
        closed = true;
        subscriber.error(error);
      };

      /** Hands the open run to the producer. */
      const seal = () => {
        const run = open;
        if (run === undefined) return;
        open = undefined;
        let sending: Promise<SendBatchResult>;
        try {
          sending = producer.sendBatch(run.records, LINGER);
        } catch (error) {
          fail(isKafkaError(error) ? error : new InvalidArgumentError(`producer.sendBatch() threw: ${String(error)}`));
          return;
        }
        sending.then(
          (result) => {
            run.result = result;
            if (!closed && runs[head] === run) emitReady();
          },
          (error: unknown) =>
            fail(
              isKafkaError(error) ? error : new InvalidArgumentError(`producer.sendBatch() failed: ${String(error)}`),
            ),
        );
        // Nothing more joins the producer's batches before acknowledgements come back: do not linger.
        if (mustFlush()) flushProducer();
      };
      const sealLater = () => queueMicrotask(seal);
      /** True when nothing more will join the producer's batches until acknowledgements come back (or ever). */
      const mustFlush = () => sourceDone || waitingSources.length > 0 || inFlight >= maxInFlight;

      /** Adds an emission's records to the open run (opening one, handed over at the end of this microtask). */
      const hand = (value: T, records: MappedRecords<K, V> | undefined) => {
        let run = open;
        if (run === undefined) {
          run = { sources: [], ends: mapper === undefined ? undefined : [], records: [], result: undefined };
          open = run;
          runs.push(run);
          sealLater();
        }
        run.sources.push(value);
        if (records === undefined) {
          run.records.push({ topic, value: value as unknown as V });
          inFlight++;
        } else if (Array.isArray(records)) {
          const list = records as readonly ProducerRecord<K, V>[];
          for (let i = 0; i < list.length; i++) run.records.push(list[i]!);
          run.ends!.push(run.records.length);
          inFlight += list.length;
        } else {
          // One record, as the mapper returned it (no array made for it).
          run.records.push(records as ProducerRecord<K, V>);
          run.ends!.push(run.records.length);
          inFlight++;
        }
        if (run.records.length >= RUN_LIMIT) seal();
      };

      /** Hands over the waiting emissions that fit under `maxInFlight`. */
      const handWaiting = () => {
        while (!closed && waitingSources.length > 0) {
          const records = mapper === undefined ? undefined : waitingRecords.peek();
          const count = records === undefined ? 1 : mappedCount(records);
          if (inFlight > 0 && inFlight + count > maxInFlight) break;
          const value = waitingSources.shift() as T;
          if (records !== undefined) waitingRecords.shift();
          hand(value, records);
        }
      };

      /**
       * Emits the results of the runs at the front that have their outcomes, hands over what now fits under
       * `maxInFlight`, and completes once everything is out after the source completed. Re-entrant calls (a source
       * fed by the downstream) fold into the running loop.
       */
      const emitReady = () => {
        if (emitting) return;
        emitting = true;
        try {
          while (!closed && head < runs.length && runs[head]!.result !== undefined) {
            const run = runs[head]!;
            runs[head++] = undefined as unknown as Run<T, K, V>;
            if (!emitRun(run)) return;
            if (head >= 64 && head * 2 >= runs.length) {
              runs.splice(0, head);
              head = 0;
            }
            handWaiting();
            if (open !== undefined) seal();
          }
          if (!closed && sourceDone && head === runs.length && waitingSources.length === 0) {
            closed = true;
            subscriber.complete();
          }
        } finally {
          emitting = false;
        }
      };

      /** Emits the results of one run; false when the stream ended (an error, or the subscriber unsubscribed). */
      const emitRun = (run: Run<T, K, V>): boolean => {
        const result = run.result!;
        const { sources, ends } = run;
        inFlight -= run.records.length;
        let start = 0;
        for (let i = 0; i < sources.length; i++) {
          const end = ends === undefined ? i + 1 : ends[i]!;
          const sent = sendResultOf(sources[i]!, result, start, end);
          if (sent.ok || emitErrors) {
            subscriber.next(sent);
          } else {
            fail(sent.error);
            return false;
          }
          if (closed) return false;
          start = end;
        }
        return true;
      };

      /**
       * Flushes the producer, one flush at a time (its flush mode also sends what is added meanwhile), and again
       * when it settles with records still out.
       */
      let flushing = false;
      const flushProducer = () => {
        if (flushing || closed) return;
        flushing = true;
        producer.flush().then(
          () => {
            flushing = false;
            if (head < runs.length && mustFlush()) flushProducer();
          },
          () => {
            flushing = false; // outcomes arrive through the send results
          },
        );
      };

      const upstream = source.subscribe({
        next: (value) => {
          if (closed) return;
          let records: MappedRecords<K, V> | undefined;
          if (mapper !== undefined) {
            try {
              records = mappedRecords(mapper(value));
            } catch (error) {
              fail(error);
              return;
            }
          }
          const count = records === undefined ? 1 : mappedCount(records);
          if (waitingSources.length > 0 || (inFlight > 0 && inFlight + count > maxInFlight)) {
            waitingSources.push(value);
            if (records !== undefined) waitingRecords.push(records);
            // Blocked: hand over what was gathered, and flush.
            if (open !== undefined) seal();
            else flushProducer();
            return;
          }
          hand(value, records);
        },
        error: (error: unknown) => fail(error),
        complete: () => {
          sourceDone = true;
          if (open !== undefined) seal();
          else if (head < runs.length) flushProducer();
          emitReady();
        },
      });
      return () => {
        closed = true;
        upstream.unsubscribe();
      };
    });
}

/** The emissions of one synchronous burst, handed to the producer as one `sendBatch`. */
interface Run<T, K, V> {
  readonly sources: T[];
  /** For a mapper: the end (exclusive) of each emission's records in `records`; one record each without. */
  readonly ends: number[] | undefined;
  readonly records: ProducerRecord<K, V>[];
  result: SendBatchResult | undefined;
}
