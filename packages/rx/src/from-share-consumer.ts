import { type AcknowledgeType, InvalidArgumentError, type ShareConsumerLike, ShareMessage } from '@vltava/core';
import { checkOptions } from '@vltava/core/internal';
import { Observable } from 'rxjs';
import { EmitBudget, yieldToEventLoop } from './emit-budget.js';
import { SHARE_SOURCE_OPTIONS_SCHEMA } from './option-schemas.js';
import { resolveWaterMarks, type WaterMarkOptions } from './water-marks.js';

/** A share consumer instance, or a factory that makes one for each subscription. */
export type ShareConsumerInput<K, V> = ShareConsumerLike<K, V> | (() => ShareConsumerLike<K, V>);

/** Options of {@link fromShareConsumer}. */
export interface FromShareConsumerOptions extends WaterMarkOptions {
  /** Topics to subscribe the share consumer to. Without it, the consumer must be subscribed already. */
  readonly topics?: string | readonly string[];
  /** Longest wait of each poll when no record is ready (the teardown waits for it at most). Default 200. */
  readonly pollTimeoutMs?: number;
  /**
   * Close the consumer when the subscription ends. Default true for a factory, false for an instance (which is
   * unsubscribed instead, and stays open).
   */
  readonly closeConsumer?: boolean;
}

/** Share consumers a source is reading now: one reader at a time. */
const inUse = new WeakSet<object>();

/**
 * A share consumer (KIP-932) as an Observable of `ShareMessage`s (from `@vltava/core`, the same as
 * `@vltava/streams`' `createShareReadStream` emits), made for concurrent processing: records
 * are acquired for this member under a lock, and each message is settled on its own (`accept`, `release`,
 * `reject`), in any order, so a `mergeMap` with a concurrency limit is the natural shape. Members of one share
 * group divide the records of every partition between them: run more members (processes, or sources) to go
 * faster than the partition count allows a consumer group.
 *
 * - **Backpressure.** The messages emitted and not settled are what piles up downstream. At `highWaterMark`
 *   (or `highWaterMarkBytes`) the source stops polling; the consumer's prefetch buffer then fills and its
 *   fetching stops (`maxPrefetchRecords`, `maxPrefetchBytes`), so nothing more is acquired; at `lowWaterMark` it
 *   polls again. Keep the high-water mark a little above the `mergeMap` concurrency, and well below what the
 *   records' lock duration lets you process.
 * - **Delivery.** At least once: a message released, left unsettled until its lock expires, or in hand when its
 *   member fails is delivered again, with a higher `deliveryCount` (use it to reject poison records after N
 *   attempts; the broker archives them at `share.delivery.count.limit` anyway).
 * - **Unsubscribing** (or an error, or `take` ending the stream) stops polling and releases every message not
 *   settled yet (later settlements return false), then closes the consumer (factory) or unsubscribes it
 *   (instance), which sends the acknowledgements made.
 * - **Errors** the consumer raises (`RecordDeserializationError` for a record it released, authorization,
 *   `ShareGroupsUnavailableError`) reach the subscriber as typed `KafkaError`s.
 *
 * @example
 * ```ts
 * import { ShareConsumer } from '@vltava/core';
 * import { fromShareConsumer } from '@vltava/rx';
 * import { mergeMap } from 'rxjs';
 *
 * fromShareConsumer(
 *   () => new ShareConsumer({ brokers, groupId: 'resizers', shareAcknowledgementMode: 'explicit' }),
 *   { topics: ['images'], highWaterMark: 64 },
 * )
 *   .pipe(
 *     mergeMap(async (message) => {
 *       try {
 *         await resize(message.record.value);
 *         message.accept();
 *       } catch {
 *         if (message.deliveryCount >= 3) message.reject();
 *         else message.release();
 *       }
 *     }, 32),
 *   )
 *   .subscribe();
 * ```
 *
 * @param consumer A share consumer in `explicit` acknowledgement mode, or a factory that makes one per
 *   subscription (closed at the end).
 */
export function fromShareConsumer<K, V>(
  consumer: ShareConsumerInput<K, V>,
  options: FromShareConsumerOptions = {},
): Observable<ShareMessage<K, V>> {
  checkOptions(options, SHARE_SOURCE_OPTIONS_SCHEMA, 'fromShareConsumer()', 'call');
  const marks = resolveWaterMarks(options);
  const pollTimeoutMs = options.pollTimeoutMs ?? 200;
  if (!Number.isFinite(pollTimeoutMs) || pollTimeoutMs < 0) {
    throw new InvalidArgumentError(`pollTimeoutMs must be a number >= 0, got ${String(options.pollTimeoutMs)}`);
  }
  return new Observable<ShareMessage<K, V>>((subscriber) => {
    const factory = typeof consumer === 'function';
    const source = factory ? consumer() : consumer;
    const closeAtEnd = options.closeConsumer ?? factory;
    if (source.acknowledgementMode !== 'explicit') {
      subscriber.error(
        new InvalidArgumentError(
          "fromShareConsumer needs a share consumer with shareAcknowledgementMode: 'explicit' (messages are " +
            'settled one by one, in any order; implicit mode would accept them at the next poll)',
        ),
      );
      if (factory) void source.close();
      return;
    }
    if (inUse.has(source)) {
      subscriber.error(new InvalidArgumentError('This share consumer is already read by another fromShareConsumer'));
      return;
    }
    inUse.add(source);
    const unsettled = new Set<ShareMessage<K, V>>();
    let count = 0;
    let bytes = 0;
    let stopped = false;
    let wake: (() => void) | undefined;
    const settle = (message: ShareMessage<K, V>, type: AcknowledgeType): boolean => {
      if (stopped || !unsettled.has(message)) return false;
      try {
        source.acknowledge(message.record, type);
      } catch (error) {
        if (!stopped) subscriber.error(error);
        return false;
      }
      if (type === 'renew') return true;
      message.markSettled(type);
      unsettled.delete(message);
      count--;
      bytes -= message.bytes;
      if (wake !== undefined && count <= marks.lowWaterMark && bytes <= marks.lowWaterMarkBytes) {
        const resume = wake;
        wake = undefined;
        resume();
      }
      return true;
    };
    const full = () => count >= marks.highWaterMark || bytes >= marks.highWaterMarkBytes;
    const loop = (async () => {
      if (options.topics !== undefined) source.subscribe(options.topics);
      const budget = new EmitBudget();
      while (!stopped) {
        if (full()) {
          await new Promise<void>((resolve) => {
            wake = resolve;
          });
          continue;
        }
        const records = await source.poll({ timeoutMs: pollTimeoutMs, maxRecords: marks.highWaterMark - count });
        for (const record of records) {
          if (stopped) {
            source.acknowledge(record, 'release');
            continue;
          }
          const message = new ShareMessage<K, V>(record, settle);
          unsettled.add(message);
          count++;
          bytes += message.bytes;
          subscriber.next(message);
          if (budget.spend()) {
            await yieldToEventLoop();
            budget.reset();
          }
        }
      }
    })();
    loop.catch((error: unknown) => {
      if (!stopped) subscriber.error(error);
    });
    return () => {
      stopped = true;
      const resume = wake;
      wake = undefined;
      resume?.();
      // Settled as released at once (later settlements return false); sent once the poll in flight is over.
      const released = [...unsettled].filter((message) => message.markSettled('release'));
      unsettled.clear();
      void loop
        .catch(() => undefined)
        .then(async () => {
          for (const message of released) {
            try {
              source.acknowledge(message.record, 'release');
            } catch {
              // Released already (the consumer closed): nothing to do.
            }
          }
          if (closeAtEnd) await source.close();
          else await source.unsubscribe();
        })
        .catch(() => undefined)
        .finally(() => inUse.delete(source));
    };
  });
}
