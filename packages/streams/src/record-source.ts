import {
  type ConsumerLike,
  type ConsumerRecord,
  InvalidArgumentError,
  InvalidGroupStateError,
  type Logger,
  type PartitionRecords,
  type RecordBatch,
  type TopicPartition,
} from '@vltava/core';
import { DEFAULT_DRAIN_TIMEOUT_MS, StreamSession } from './stream-session.js';

/** Options shared by the Node and Web read streams. */
export interface RecordSourceOptions {
  /**
   * End the stream cleanly after this many records: the records in flight drain through the pipeline, the
   * committer commits them, and the consumer closes. Default: no limit.
   */
  readonly stopAfterRecords?: number;
  /**
   * Ends the stream cleanly when aborted, as {@link RecordSourceOptions.stopAfterRecords} does (unlike the
   * pipeline's `signal`, which aborts: then only what already reached the committer is committed).
   */
  readonly stopSignal?: AbortSignal;
  /**
   * Close the consumer when the stream is done (committing what was processed and leaving the group). Default
   * true: the stream owns the consumer.
   */
  readonly closeConsumer?: boolean;
  /**
   * Refuse to read a consumer of a group when no committer of the same consumer (`createCommitStream`,
   * `createWebCommitStream`) is attached: nothing would commit the records read, and a restart would read every
   * one of them again. The stream then fails at its first read, before reading anything, with an error that shows
   * the at-least-once shape. Default true; false reads without committing (replays, exports, or your own
   * `consumer.commit()` calls). A consumer without a `groupId` has nothing to commit and is never refused.
   */
  readonly requireCommitter?: boolean;
  /**
   * After the read stream is destroyed (an abort, an error) while a committer is still receiving, how long the
   * records in flight get to reach it before what arrived is committed and the consumer closes, as `@vltava/rx`'s
   * sources wait for acknowledgements. What reaches the committer later is not committed: it is logged and counted
   * in `metrics()`. Default 10000.
   */
  readonly drainTimeoutMs?: number;
  /** Where reports that cannot reach a stream go (records never committed). Default: stderr, warnings. */
  readonly logger?: Logger;
}

/** Most records taken from the consumer at once (the consumer's default `maxPollRecords`). */
const MAX_BATCH = 500;

/**
 * The reading half shared by {@link ConsumerReadable} and the Web `ReadableStream`: takes batches from the
 * consumer's batch iterator in `manual` mode (a record counts as processed only when it reaches the committer),
 * hands their records out one at a time (registering each with the session's tracker), and pauses fetching of the
 * partitions that filled the stream's buffer until the stream asks for more.
 *
 * One batch (at most the high-water mark, and at most 500 records) is held between the consumer and the stream,
 * so a stream holds at most its high-water mark plus one batch of records. Taking batches rather than records
 * costs one promise per batch instead of one per record.
 */
export class RecordSource<K, V> {
  readonly session: StreamSession;
  private readonly consumer: ConsumerLike<K, V>;
  private readonly iterator: AsyncIterator<RecordBatch<K, V>, undefined>;
  private batch: readonly PartitionRecords<K, V>[] = [];
  /** Whether a committer is needed and was checked for (once, at the first fill). */
  private committerChecked: boolean;
  private batchPartition = 0;
  private batchRecord = 0;
  private readonly stopper = new AbortController();
  /** True once the stopper was aborted (read per record, where the signal's `aborted` getter would cost a call). */
  private ending = false;
  private readonly stopAfter: number;
  private readonly stopSignal: AbortSignal | undefined;
  private readonly onStop = () => this.stop();
  /** Partitions of the records handed out since the stream last asked for more. */
  private readonly recent = new Map<string, TopicPartition>();
  private lastTopic: string | undefined;
  private lastPartition = -1;
  private readonly paused = new Map<string, TopicPartition>();
  private finishing: Promise<void> | undefined;
  /** Records handed to the stream. */
  delivered = 0;
  /** Times the stream's buffer filled up and fetching of more partitions was paused. */
  pauses = 0;

  constructor(consumer: ConsumerLike<K, V>, options: RecordSourceOptions, highWaterMark: number) {
    const stopAfter = options.stopAfterRecords ?? Number.POSITIVE_INFINITY;
    if (!(stopAfter > 0) || (Number.isFinite(stopAfter) && !Number.isInteger(stopAfter))) {
      throw new InvalidArgumentError(
        `stopAfterRecords must be a positive integer, got ${String(options.stopAfterRecords)}`,
      );
    }
    this.consumer = consumer;
    this.stopAfter = stopAfter;
    this.committerChecked = options.requireCommitter === false;
    this.session = StreamSession.of(consumer as ConsumerLike<unknown, unknown>);
    this.session.attachReader(
      options.closeConsumer ?? true,
      options.drainTimeoutMs ?? DEFAULT_DRAIN_TIMEOUT_MS,
      options.logger,
    );
    this.iterator = consumer.batches({
      mode: 'manual',
      signal: this.stopper.signal,
      maxRecords: Math.max(1, Math.min(MAX_BATCH, Math.floor(highWaterMark))),
      // The stream traces each record's processing itself (from its hand-over to the committer).
      pushed: true,
    });
    this.stopSignal = options.stopSignal;
    if (this.stopSignal?.aborted === true) this.stop();
    else this.stopSignal?.addEventListener('abort', this.onStop, { once: true });
  }

  /** Records handed out and not yet processed (that is, not yet at the committer). */
  get inFlight(): number {
    return this.session.tracker.inFlight;
  }

  /**
   * The next record of the batch in hand, or `undefined` when the batch is used up (then call {@link fill}) or the
   * stream is ending.
   */
  take(): ConsumerRecord<K, V> | undefined {
    if (this.ending || this.delivered >= this.stopAfter) return undefined;
    const partitions = this.batch;
    while (this.batchPartition < partitions.length) {
      const records = partitions[this.batchPartition]!.records;
      if (this.batchRecord < records.length) {
        const record = records[this.batchRecord++]!;
        this.deliver(record);
        return record;
      }
      this.batchPartition++;
      this.batchRecord = 0;
    }
    return undefined;
  }

  /**
   * Takes the next batch from the consumer, waiting for records. Resolves false when the stream ends cleanly
   * (stopped, `stopAfterRecords` reached, consumer closed).
   */
  async fill(): Promise<boolean> {
    if (this.ending || this.delivered >= this.stopAfter) return false;
    if (!this.committerChecked) this.checkCommitter();
    // Waiting for the consumer: nothing this stream paused may stay paused.
    this.resume();
    const result = await this.iterator.next();
    if (result.done === true || this.ending) return false;
    this.batch = result.value.partitions;
    this.batchPartition = 0;
    this.batchRecord = 0;
    return true;
  }

  private deliver(record: ConsumerRecord<K, V>): void {
    this.delivered++;
    this.session.delivered(record.topic, record.partition, record.offset, record.leaderEpoch);
    if (record.partition !== this.lastPartition || record.topic !== this.lastTopic) {
      this.lastTopic = record.topic;
      this.lastPartition = record.partition;
      const key = `${record.topic}:${record.partition}`;
      if (!this.recent.has(key)) this.recent.set(key, { topic: record.topic, partition: record.partition });
    }
  }

  /**
   * Hands `record` on (`deliver(value)`) in its `vltava:consumer:process` trace: call it only when the process
   * channel has a subscriber. The trace ends when the record reaches the committer (see {@link ProcessTraces}).
   */
  deliverTraced<A>(record: ConsumerRecord<K, V>, deliver: (value: A) => void, value: A): void {
    this.session.traces.deliver(record, this.session.hasCommitter, deliver, value);
  }

  /** The stream's buffer is full: stop fetching the partitions whose records filled it (if not stopped already). */
  full(): void {
    if (this.recent.size === 0 || this.finishing !== undefined) return;
    let added: TopicPartition[] | undefined;
    for (const [key, partition] of this.recent) {
      if (this.paused.has(key)) continue;
      this.paused.set(key, partition);
      added ??= [];
      added.push(partition);
    }
    this.forgetRecent();
    if (added === undefined) return;
    this.consumer.backpressure.pause(added);
    this.pauses++;
  }

  /**
   * Fetch what {@link full} paused again: called when the stream's buffer drained to half its mark (so that a
   * stream read one record at a time does not pause and resume on every record), and always before waiting for
   * the consumer.
   */
  resume(): void {
    this.forgetRecent();
    if (this.paused.size === 0) return;
    const partitions = [...this.paused.values()];
    this.paused.clear();
    this.consumer.backpressure.resume(partitions);
  }

  /** Ends the stream cleanly: {@link take} and {@link fill} say so from now on, a pending fill included. */
  stop(): void {
    this.ending = true;
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
      this.ending = true;
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

  /**
   * Refuses to read a group's records with no committer attached: nothing would ever commit them (the read
   * stream reads in `manual` mode), so every one would be read again after a restart.
   *
   * @throws InvalidArgumentError showing the at-least-once shape.
   */
  private checkCommitter(): void {
    this.committerChecked = true;
    if (this.session.hasCommitter) return;
    try {
      this.consumer.groupMetadata();
    } catch (error) {
      if (error instanceof InvalidGroupStateError) return; // no group: nothing to commit
      throw error;
    }
    throw new InvalidArgumentError(
      'createReadStream(consumer): no committer of this consumer is attached, so nothing would commit the records ' +
        'read and a restart would read every one of them again. End the pipeline with the committer of the same ' +
        'consumer, after the step that finishes each record:\n' +
        '  await pipeline(\n' +
        '    createReadStream(consumer),\n' +
        "    createSendStream(producer, (record) => ({ topic: 'out', key: record.key, value: transform(record.value) })),\n" +
        '    createCommitStream(consumer),\n' +
        '  );\n' +
        '(createSendStream emits each record once the broker acknowledged what was made of it; a createWriteStream ' +
        'has no output for a committer to follow.) To read without committing, pass { requireCommitter: false }.',
    );
  }

  private forgetRecent(): void {
    this.recent.clear();
    this.lastTopic = undefined;
    this.lastPartition = -1;
  }
}
