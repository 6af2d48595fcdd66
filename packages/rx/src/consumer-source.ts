import {
  type ConsumerRebalanceListener,
  type ConsumerRecord,
  createConsoleLogger,
  InvalidArgumentError,
  InvalidGroupStateError,
  isKafkaError,
  type Logger,
  type TopicPartition,
} from '@vltava/core';
import { lastValueFrom } from 'rxjs';
import { AckTracker, type BackpressureEvent } from './ack-tracker.js';
import type { ConsumerLike } from './consumer-like.js';
import type { KafkaMessage } from './kafka-message.js';
import { resolveWaterMarks, type WaterMarkOptions } from './water-marks.js';

/** Options of `fromConsumer` and `fromPartitions`. */
export interface ConsumerSourceOptions extends WaterMarkOptions {
  /**
   * Topics (or a pattern) to subscribe to, with group management. Without it the consumer must have partitions
   * assigned already (`consumer.assign(...)`), and they are read as they are.
   */
  readonly topics?: string | readonly string[] | RegExp;
  /** Your rebalance listener, called after the source has handled each change (see the package README). */
  readonly listener?: ConsumerRebalanceListener;
  /**
   * How long a revocation waits for the records of the revoked partitions that were emitted and not yet
   * acknowledged, before it lets the rebalance go on (their acknowledgements are then ignored). Keep it below the
   * consumer's `rebalanceTimeoutMs`. Default 10000.
   */
  readonly drainTimeoutMs?: number;
  /**
   * Commit the acknowledged offsets of revoked partitions once they are drained (the consumer's own commit before
   * revoking runs earlier, without the records acknowledged while draining). Default true.
   */
  readonly commitOnRevoke?: boolean;
  /** Commit the acknowledged offsets when the subscription ends (unsubscribe, error, completion). Default true. */
  readonly commitOnUnsubscribe?: boolean;
  /**
   * Close the consumer when the subscription ends. Default true when the source was given a factory (each
   * subscription gets a consumer of its own), false for a consumer instance: the source then unsubscribes it,
   * which leaves the group, and the consumer stays open for another subscription.
   */
  readonly closeOnUnsubscribe?: boolean;
  /** Called at every backpressure pause and resume. */
  readonly onBackpressure?: (event: BackpressureEvent) => void;
  /** Where failures that cannot reach a subscriber (commits while tearing down) are logged. Default: stderr. */
  readonly logger?: Logger;
}

/** What a source hands to the Observable built on it. */
export interface SourceSink<K, V> {
  /** A record, to emit. */
  deliver(message: KafkaMessage<K, V>): void;
  /** Partitions were assigned (or are read through a manual assignment). */
  assigned(partitions: readonly TopicPartition[]): void;
  /** Partitions were revoked (after draining) or lost. */
  revoked(partitions: readonly TopicPartition[]): void;
  /** Reading failed: the error to raise. */
  error(error: unknown): void;
}

/** A consumer instance, or a factory that makes one for each subscription. */
export type ConsumerInput<K, V> = ConsumerLike<K, V> | (() => ConsumerLike<K, V>);

/** Default of {@link ConsumerSourceOptions.drainTimeoutMs}. */
export const DEFAULT_DRAIN_TIMEOUT_MS = 10_000;

/** Records emitted in a row before the source lets the event loop run (timers, sockets). */
const YIELD_EVERY = 512;

/** Consumers a source is reading now: a consumer has one reader at a time. */
const inUse = new WeakSet<object>();

/**
 * The engine of `fromConsumer` and `fromPartitions`: one subscription of an Observable to a consumer.
 *
 * - **Reading** pulls from the consumer's iterator in `manual` mode (records count as processed only when
 *   acknowledged) and only while the {@link AckTracker} is not holding at its high-water mark; fetching of the
 *   partitions concerned is paused meanwhile through `consumer.backpressure`, which never touches the
 *   application's own pauses.
 * - **Rebalances** go through its listener: revoked partitions are drained (their emitted records acknowledged, or
 *   `drainTimeoutMs`), committed, retired (later acknowledgements of their records are ignored, so offsets of an
 *   old generation are never committed), then the sink and your listener hear of it. Lost partitions are retired
 *   at once.
 * - **Stopping** (unsubscribe, error) is prompt even while no record arrives: the iterator's `return()` ends a
 *   pending read, the acknowledged offsets are committed, and the consumer leaves its group (`unsubscribe()`, or
 *   `close()` when the source owns it).
 */
export class ConsumerSource<K, V> {
  private readonly consumer: ConsumerLike<K, V>;
  private readonly options: ConsumerSourceOptions;
  private readonly sink: SourceSink<K, V>;
  private readonly tracker: AckTracker<K, V>;
  private readonly logger: Logger;
  private readonly drainTimeoutMs: number;
  private readonly closeOnStop: boolean;
  private iterator: AsyncIterator<ConsumerRecord<K, V>> | undefined;
  private subscribed = false;
  private stopped = false;
  /** False when the consumer was busy with another source: then this one leaves it alone when it stops. */
  private claimed = false;
  /** Settles when stopping is complete (the consumer left its group or closed). */
  stopping: Promise<void> | undefined;

  constructor(input: ConsumerInput<K, V>, options: ConsumerSourceOptions, sink: SourceSink<K, V>) {
    const marks = resolveWaterMarks(options);
    const drainTimeoutMs = options.drainTimeoutMs ?? DEFAULT_DRAIN_TIMEOUT_MS;
    if (!Number.isFinite(drainTimeoutMs) || drainTimeoutMs < 0) {
      throw new InvalidArgumentError(`drainTimeoutMs must be a number >= 0, got ${String(drainTimeoutMs)}`);
    }
    const owned = typeof input === 'function';
    this.consumer = owned ? input() : input;
    this.closeOnStop = options.closeOnUnsubscribe ?? owned;
    this.options = options;
    this.sink = sink;
    this.drainTimeoutMs = drainTimeoutMs;
    this.logger = options.logger ?? createConsoleLogger();
    const consumer = this.consumer;
    this.tracker = new AckTracker<K, V>(marks, {
      acknowledge: (record) => consumer.acknowledge(record as ConsumerRecord<K, V>),
      commit: (offsets) => consumer.commit(offsets),
      pause: (partitions) => consumer.backpressure.pause(partitions),
      resume: (partitions) => consumer.backpressure.resume(partitions),
      onBackpressure: options.onBackpressure,
    });
  }

  /** The acknowledgement state (for the operators built on the source). */
  get acks(): AckTracker<K, V> {
    return this.tracker;
  }

  /** Subscribes (or takes the manual assignment) and starts reading. Failures go to the sink. */
  start(): void {
    const consumer = this.consumer;
    if (inUse.has(consumer)) {
      this.sink.error(
        new InvalidArgumentError(
          'The consumer is already read by another subscription (a consumer has one reader at a time): share() the ' +
            'Observable to read it from several places, or give fromConsumer a factory for a consumer per subscription',
        ),
      );
      return;
    }
    inUse.add(consumer);
    this.claimed = true;
    try {
      const topics = this.options.topics;
      if (topics !== undefined) {
        consumer.subscribe(topics, this.listener());
        this.subscribed = true;
      } else {
        const assigned = consumer.assignment();
        if (assigned.length === 0) {
          throw new InvalidArgumentError(
            'The consumer has no partitions to read: pass `topics` to subscribe with group management (the source ' +
              'follows rebalances only then), or assign() partitions before subscribing to the Observable',
          );
        }
        this.sink.assigned(assigned);
      }
      this.iterator = consumer.records({ mode: 'manual' });
    } catch (error) {
      this.sink.error(error);
      return;
    }
    void this.pump(this.iterator);
  }

  /**
   * Stops: ends the pending read, commits the acknowledged offsets (`commitOnUnsubscribe`), lifts the
   * backpressure pauses, and leaves the group (`unsubscribe()`, or `close()` when the source owns the consumer).
   * Idempotent; resolves when the consumer has left (failures are logged).
   */
  stop(): Promise<void> {
    this.stopping ??= this.doStop();
    return this.stopping;
  }

  private async doStop(): Promise<void> {
    this.stopped = true;
    if (!this.claimed) return;
    const consumer = this.consumer;
    const ended = this.iterator?.return?.().catch((error: unknown) => this.warn('ending the read failed', error));
    const commit =
      this.options.commitOnUnsubscribe === false
        ? undefined
        : lastValueFrom(this.tracker.commit(), { defaultValue: undefined }).catch((error: unknown) =>
            this.warn('committing the acknowledged offsets at unsubscribe failed; they will be read again', error),
          );
    this.tracker.stop();
    await ended;
    await commit;
    try {
      if (this.closeOnStop) await consumer.close();
      else if (this.subscribed) await consumer.unsubscribe();
    } catch (error) {
      this.warn('leaving the group at unsubscribe failed', error);
    } finally {
      inUse.delete(consumer);
    }
  }

  private async pump(iterator: AsyncIterator<ConsumerRecord<K, V>>): Promise<void> {
    const tracker = this.tracker;
    let inARow = 0;
    try {
      for (;;) {
        if (tracker.holding) {
          await tracker.whenReleased();
          inARow = 0;
        } else if (inARow >= YIELD_EVERY) {
          await new Promise((resolve) => setImmediate(resolve));
          inARow = 0;
        }
        if (this.stopped) return;
        const result = await iterator.next();
        if (result.done === true || this.stopped) return;
        inARow++;
        this.sink.deliver(tracker.track(result.value));
      }
    } catch (error) {
      if (!this.stopped) this.sink.error(error);
    }
  }

  private listener(): ConsumerRebalanceListener {
    const user = this.options.listener;
    return {
      onPartitionsAssigned: async (partitions) => {
        if (!this.stopped) this.sink.assigned(partitions);
        await user?.onPartitionsAssigned?.(partitions);
      },
      onPartitionsRevoked: async (partitions) => {
        if (!this.stopped) {
          await this.tracker.drain(partitions, this.drainTimeoutMs);
          if (this.options.commitOnRevoke !== false) {
            try {
              await lastValueFrom(this.tracker.commit(partitions), { defaultValue: undefined });
            } catch (error) {
              this.warn('committing revoked partitions failed; their records will be read again', error);
            }
          }
        }
        this.tracker.retire(partitions);
        if (!this.stopped) this.sink.revoked(partitions);
        await user?.onPartitionsRevoked?.(partitions);
      },
      onPartitionsLost: async (partitions) => {
        this.tracker.retire(partitions);
        if (!this.stopped) this.sink.revoked(partitions);
        if (user?.onPartitionsLost !== undefined) await user.onPartitionsLost(partitions);
        else await user?.onPartitionsRevoked?.(partitions);
      },
    };
  }

  private warn(message: string, error: unknown): void {
    // A consumer without a group (manual assignment) has nowhere to commit: not worth a warning at every stop.
    if (error instanceof InvalidGroupStateError) return;
    this.logger.warn(message, { error: isKafkaError(error) ? error : String(error) });
  }
}
