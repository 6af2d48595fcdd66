import { InvalidArgumentError } from '@vltava/core';
import { checkOptions } from '@vltava/core/internal';
import { asyncScheduler, concat, Observable, type OperatorFunction, type SchedulerLike, type Subscription } from 'rxjs';
import {
  defaultMessageSelector,
  forEachMessage,
  type MessageSelection,
  type MessageSelector,
} from './message-selector.js';
import type { OffsetCommit } from './offset-commit.js';
import { COMMIT_OFFSETS_OPTIONS_SCHEMA } from './option-schemas.js';
import type { PartitionAcksOwner } from './partition-acks.js';

/** Options of {@link commitOffsets}. */
export interface CommitOffsetsOptions<T> {
  /** Messages acknowledged after which a commit is made. Default 1000. */
  readonly maxBatch?: number;
  /** Longest time an acknowledgement waits for its commit, in ms. Default 5000. */
  readonly maxIntervalMs?: number;
  /**
   * Finds the message(s) of an emission. Default: the emission itself when it is a `KafkaMessage`, an array of
   * them, or a result whose `source` is either (what `sendTo` emits).
   */
  readonly message?: (value: T) => MessageSelection;
  /** Scheduler of the `maxIntervalMs` timer. Default `asyncScheduler`. */
  readonly scheduler?: SchedulerLike;
}

/**
 * Acknowledges each emission's record(s) and commits the acknowledged offsets in batches: after `maxBatch`
 * acknowledgements, or `maxIntervalMs` after the first acknowledgement not yet committed, whichever comes first.
 * Emits an {@link OffsetCommit} per commit made.
 *
 * - **By partition, without skipping.** Each partition's commit is the offset below which every record emitted by
 *   the source is acknowledged; a record still in processing (out-of-order processing with `mergeMap`, a record
 *   `filter`ed out and not acknowledged) holds its partition's commit back until it is acknowledged.
 * - **One commit at a time.** Acknowledgements made while a commit is in flight go into the next one.
 * - **Old generations dropped.** Offsets of a partition revoked or lost since its records were emitted are never
 *   committed; a commit the coordinator refuses as stale (`CommitFailedError`) is emitted with `dropped` set rather
 *   than raised. Other failures (a timeout, a closed consumer) error the stream with the core's typed error.
 * - **Completion.** When the source completes (or errors), the remaining acknowledgements are committed before
 *   the result completes (or errors).
 *
 * Place it where a record's processing is finished, typically last.
 *
 * @example
 * ```ts
 * fromConsumer(consumer, { topics: ['clicks'] })
 *   .pipe(
 *     mergeMap((message) => enrich(message), 8), // out of order: commits never pass an unfinished record
 *     commitOffsets({ maxBatch: 500, maxIntervalMs: 1000 }),
 *   )
 *   .subscribe((commit) => log.debug('committed', commit.offsets));
 * ```
 *
 * @see fromConsumer
 * @see KafkaMessage.ack
 * @see OffsetCommit
 */
export function commitOffsets<T>(options: CommitOffsetsOptions<T> = {}): OperatorFunction<T, OffsetCommit> {
  checkOptions(options, COMMIT_OFFSETS_OPTIONS_SCHEMA, 'commitOffsets()', 'call');
  const maxBatch = options.maxBatch ?? 1000;
  const maxIntervalMs = options.maxIntervalMs ?? 5000;
  if (!Number.isSafeInteger(maxBatch) || maxBatch < 1) {
    throw new InvalidArgumentError(`commitOffsets(): maxBatch must be a positive integer, got ${String(maxBatch)}`);
  }
  if (!Number.isFinite(maxIntervalMs) || maxIntervalMs < 0) {
    throw new InvalidArgumentError(
      `commitOffsets(): maxIntervalMs must be a number >= 0, got ${String(maxIntervalMs)}`,
    );
  }
  const select: MessageSelector<T> = options.message ?? defaultMessageSelector;
  const scheduler = options.scheduler ?? asyncScheduler;

  return (source) =>
    new Observable<OffsetCommit>((subscriber) => {
      /** Trackers with acknowledgements not yet committed. */
      const owners = new Set<PartitionAcksOwner>();
      /** Acknowledgements since the last commit started. */
      let pending = 0;
      let timer: Subscription | undefined;
      let running: Subscription | undefined;
      let inFlight = false;
      /** The interval passed while a commit was in flight: commit as soon as it ends. */
      let due = false;
      let ended: { error: unknown } | 'complete' | undefined;

      const finish = () => {
        if (ended === undefined || inFlight || pending > 0) return;
        if (ended === 'complete') subscriber.complete();
        else subscriber.error(ended.error);
      };

      const armTimer = () => {
        timer ??= scheduler.schedule(() => {
          timer = undefined;
          if (inFlight) due = true;
          else startCommit();
        }, maxIntervalMs);
      };

      const startCommit = () => {
        timer?.unsubscribe();
        timer = undefined;
        if (inFlight) return;
        due = false;
        pending = 0;
        inFlight = true;
        const commits = [...owners].map((owner) => owner.commit());
        owners.clear();
        running = concat(...commits).subscribe({
          next: (commit) => subscriber.next(commit),
          error: (error: unknown) => subscriber.error(error),
          complete: () => {
            inFlight = false;
            running = undefined;
            if (pending > 0) {
              if (due || pending >= maxBatch || ended !== undefined) startCommit();
              else armTimer();
            }
            finish();
          },
        });
      };

      const end = (how: { error: unknown } | 'complete') => {
        ended = how;
        if (pending > 0) startCommit();
        finish();
      };

      const upstream = source.subscribe({
        next: (value) => {
          let selection: MessageSelection;
          try {
            selection = select(value);
          } catch (error) {
            subscriber.error(error);
            return;
          }
          let count = 0;
          forEachMessage(selection, (message) => {
            message.ack();
            owners.add(message.partitionAcks.owner);
            count++;
          });
          if (count === 0) return;
          pending += count;
          if (pending >= maxBatch) startCommit();
          else armTimer();
        },
        error: (error: unknown) => end({ error }),
        complete: () => end('complete'),
      });

      return () => {
        upstream.unsubscribe();
        timer?.unsubscribe();
        running?.unsubscribe();
      };
    });
}
