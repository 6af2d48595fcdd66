import type { KafkaError, ProducerLike, RecordsOf, SendTarget } from '@vltava/core';
import { checkOptions } from '@vltava/core/internal';
import { type Observer, Subject } from 'rxjs';
import { TO_PRODUCER_OPTIONS_SCHEMA } from './option-schemas.js';
import { type SendToOptions, sendRecords } from './send-to.js';

/** Options of {@link toProducer}. */
export interface ToProducerOptions extends Omit<SendToOptions, 'errors'> {
  /**
   * Called once when a record could not be delivered (the producer's typed error) or the source errored; nothing
   * is sent after it. Without it the error is reported as an unhandled error, as RxJS does for a subscriber
   * without an error callback.
   */
  readonly onError?: (error: KafkaError | unknown) => void;
  /** Called once every record is acknowledged after the source completed. */
  readonly onComplete?: () => void;
}

/**
 * A sink for `subscribe`: sends each value as `sendTo` does (same batching, in-flight bound and flush on
 * completion) when the results are not needed.
 *
 * An Observer cannot stop the Observable it is given to: after a failure, later values are not sent (they are
 * dropped) and `onError` has been told. When the source must stop at the first failure, use
 * `source.pipe(sendTo(...)).subscribe()` instead.
 *
 * @example
 * ```ts
 * clicks$.subscribe(
 *   toProducer(producer, (click) => ({ topic: 'clicks', key: click.userId, value: JSON.stringify(click) }), {
 *     onError: (error) => log.error('click not recorded', { error }),
 *   }),
 * );
 * ```
 *
 * @see sendTo
 */
export function toProducer<K, V, T extends V = V>(
  producer: ProducerLike<K, V>,
  target: { readonly topic: string },
  options?: ToProducerOptions,
): Observer<T>;
export function toProducer<T, K, V>(
  producer: ProducerLike<K, V>,
  mapper: (value: T) => RecordsOf<K, V>,
  options?: ToProducerOptions,
): Observer<T>;
export function toProducer<T, K, V>(
  producer: ProducerLike<K, V>,
  target: SendTarget<T, K, V>,
  options: ToProducerOptions = {},
): Observer<T> {
  checkOptions(options, TO_PRODUCER_OPTIONS_SCHEMA, 'toProducer()', 'call');
  const values = new Subject<T>();
  values
    .pipe(sendRecords(producer, target, { maxInFlight: options.maxInFlight }))
    .subscribe({ error: options.onError, complete: options.onComplete });
  return {
    next: (value) => values.next(value),
    error: (error: unknown) => values.error(error),
    complete: () => values.complete(),
  };
}
