import { type ConsumerRecord, InvalidArgumentError, type TopicPartition } from '@vltava/core';
import type { StreamConsumer } from './stream-consumer.js';
import { StreamSession } from './stream-session.js';

/** Options shared by the Node and Web read streams. */
export interface RecordSourceOptions {
  /**
   * End the stream cleanly after this many records: the records in flight drain through the pipeline, the
   * committer commits them, and the consumer closes. Default: no limit.
   */
  readonly maxRecords?: number;
  /**
   * Ends the stream cleanly when aborted, as {@link RecordSourceOptions.maxRecords} does (unlike the pipeline's
   * `signal`, which aborts: then only what already reached the committer is committed).
   */
  readonly stopSignal?: AbortSignal;
  /**
   * Close the consumer when the stream is done (committing what was processed and leaving the group). Default
   * true: the stream owns the consumer.
   */
  readonly closeConsumer?: boolean;
}

/**
 * The reading half shared by {@link ConsumerReadable} and the Web `ReadableStream`: pulls records from the
 * consumer's iterator in `manual` mode (a record counts as processed only when it reaches the committer),
 * registers each with the session's tracker, and pauses fetching of the partitions that filled the stream's
 * buffer until the stream asks for more.
 */
export class RecordSource<K, V> {
  readonly session: StreamSession;
  private readonly consumer: StreamConsumer<K, V>;
  private readonly iterator: AsyncIterator<ConsumerRecord<K, V>, undefined>;
  private readonly stopper = new AbortController();
  private readonly maxRecords: number;
  private readonly stopSignal: AbortSignal | undefined;
  private readonly onStop = () => this.stop();
  /** Partitions of the records handed out since the stream last asked for more. */
  private readonly recent = new Map<string, TopicPartition>();
  private lastTopic: string | undefined;
  private lastPartition = -1;
  private paused: TopicPartition[] = [];
  private finishing: Promise<void> | undefined;
  /** Records handed to the stream. */
  delivered = 0;
  /** Times the stream's buffer filled up and fetching was paused. */
  pauses = 0;

  constructor(consumer: StreamConsumer<K, V>, options: RecordSourceOptions) {
    const maxRecords = options.maxRecords ?? Number.POSITIVE_INFINITY;
    if (!(maxRecords > 0) || (Number.isFinite(maxRecords) && !Number.isInteger(maxRecords))) {
      throw new InvalidArgumentError(`maxRecords must be a positive integer, got ${String(options.maxRecords)}`);
    }
    this.consumer = consumer;
    this.maxRecords = maxRecords;
    this.session = StreamSession.of(consumer);
    this.session.attachReader(options.closeConsumer ?? true);
    this.iterator = consumer.records({ mode: 'manual', signal: this.stopper.signal });
    this.stopSignal = options.stopSignal;
    if (this.stopSignal?.aborted === true) this.stop();
    else this.stopSignal?.addEventListener('abort', this.onStop, { once: true });
  }

  /** Records handed out and not yet processed (that is, not yet at the committer). */
  get inFlight(): number {
    return this.session.tracker.inFlight;
  }

  /** The next record, or `undefined` when the stream ends cleanly (stopped, `maxRecords`, consumer closed). */
  async next(): Promise<ConsumerRecord<K, V> | undefined> {
    if (this.delivered >= this.maxRecords || this.stopper.signal.aborted) return undefined;
    const result = await this.iterator.next();
    if (result.done === true) return undefined;
    const record = result.value;
    this.delivered++;
    this.session.tracker.delivered(record.topic, record.partition, record.offset, record.leaderEpoch);
    if (record.partition !== this.lastPartition || record.topic !== this.lastTopic) {
      this.lastTopic = record.topic;
      this.lastPartition = record.partition;
      const key = `${record.topic}:${record.partition}`;
      if (!this.recent.has(key)) this.recent.set(key, { topic: record.topic, partition: record.partition });
    }
    return record;
  }

  /** The stream's buffer is full: stop fetching the partitions whose records filled it. */
  full(): void {
    if (this.recent.size === 0 || this.finishing !== undefined) return;
    const partitions = [...this.recent.values()];
    this.consumer.backpressure.pause(partitions);
    this.paused = this.paused.length === 0 ? partitions : [...this.paused, ...partitions];
    this.pauses++;
    this.forgetRecent();
  }

  /** The stream wants records again: fetch what {@link full} paused. */
  resume(): void {
    this.forgetRecent();
    if (this.paused.length === 0) return;
    const partitions = this.paused;
    this.paused = [];
    this.consumer.backpressure.resume(partitions);
  }

  /** Ends the stream cleanly: {@link next} returns `undefined` from now on, a pending call included. */
  stop(): void {
    this.stopper.abort();
  }

  /**
   * Stops reading: ends the consumer's iterator, lifts the stream's fetch pauses, and tells the session (which
   * commits what was processed and closes the consumer, now after an error, or once the committers finished after
   * a clean end). Once.
   */
  finish(error: unknown): Promise<void> {
    this.finishing ??= (async () => {
      this.stopSignal?.removeEventListener('abort', this.onStop);
      this.stopper.abort();
      try {
        await this.iterator.return?.();
      } finally {
        this.resume();
        await this.session.readerFinished(error);
      }
    })();
    return this.finishing;
  }

  private forgetRecent(): void {
    this.recent.clear();
    this.lastTopic = undefined;
    this.lastPartition = -1;
  }
}
