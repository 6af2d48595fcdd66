import { ClientClosedError, InvalidArgumentError } from '../errors/client-errors.js';
import type { KafkaError } from '../errors/kafka-error.js';
import type { FetchBuffer, RecordConverter, TakenRecords } from './fetch-buffer.js';
import type { PartitionEvents } from './partition-events.js';
import type { PartitionState } from './partition-state.js';
import { Waiters } from './waiters.js';

/** What the delivery asks of the consumer around reads. */
export interface DeliveryHooks {
  /** A read begins (poll or iterator step): start group membership and fetching if they are not running. */
  onRead(): void;
  /** No reader is active any more (an iterator ended): stop fetching ahead. */
  onIdle(): void;
}

/**
 * The hand-over point between the fetcher and the application, shared by `poll()`, the record iterator and the
 * batch iterator:
 *
 * - takes records from the {@link FetchBuffer} synchronously (no promise per record when records are ready),
 * - remembers which partitions have records in the application's hands and acknowledges them when the
 *   application comes back for more (at-least-once: a record counts as processed when the next one is asked for),
 * - lets readers wait for records, bounded by a timeout and an `AbortSignal`, without polling,
 * - raises errors in line: a consumer-level error once (for example `MaxPollIntervalExceededError`), a failed
 *   partition's error on every read until the application seeks it,
 * - keeps the time of the last read for `maxPollIntervalMs`, counting a reader that is waiting as reading.
 *
 * One reader at a time: a second concurrent iterator (or `poll()` while an iterator is open) is an error, as
 * concurrent use of one Java consumer is.
 *
 * Waiting readers wake by themselves when the buffer announces records, a partition announces it failed or was
 * resumed, an error is raised, or the consumer closes.
 */
export class RecordDelivery<T> {
  private readonly buffer: FetchBuffer;
  private readonly convert: RecordConverter<T>;
  private readonly hooks: DeliveryHooks;
  private readonly waiters = new Waiters();
  private unacked: PartitionState[] = [];
  private pendingError: KafkaError | undefined;
  private readonly failed = new Set<PartitionState>();
  private activeReader: object | undefined;
  private inHand = false;
  /** True while the unacknowledged records were handed out by `poll()` (rather than an iterator). */
  private polled = false;
  private idleWaiters: Array<() => void> = [];
  private closedError: KafkaError | undefined;
  /** `Date.now()` of the last read (or the end of the last wait). */
  lastReadAt = Date.now();
  /** Records delivered to the application. */
  recordsDelivered = 0;

  /**
   * @param buffer Where fetched records wait.
   * @param events The partitions' announcements: failures are raised to readers, resumed partitions wake them.
   * @param convert Turns a fetched record into what the application receives.
   * @param hooks What reads start and stop.
   */
  constructor(buffer: FetchBuffer, events: PartitionEvents, convert: RecordConverter<T>, hooks: DeliveryHooks) {
    this.buffer = buffer;
    this.convert = convert;
    this.hooks = hooks;
    buffer.arrived.on(() => this.notify());
    events.resumed.on(() => this.notify());
    events.changed.on((state) => {
      if (state.state !== 'failed') return;
      this.failed.add(state);
      this.notify();
    });
  }

  /** True once the consumer is closing: readers end. */
  get closed(): boolean {
    return this.closedError !== undefined;
  }

  /** True when the application has not asked for records for longer than `maxMs` (a waiting reader is asking). */
  pollExpired(now: number, maxMs: number): boolean {
    return this.waiters.size === 0 && now - this.lastReadAt > maxMs;
  }

  /**
   * Starts a read by `reader`: checks the consumer is open and no other reader is active, stamps the read time,
   * and lets the consumer start what reading needs.
   *
   * @throws ClientClosedError after `close()`; InvalidArgumentError when another reader is active.
   */
  beginRead(reader: object | undefined): void {
    if (this.closedError !== undefined) throw this.closedError;
    if (reader !== undefined) {
      if (this.activeReader !== undefined && this.activeReader !== reader) {
        throw new InvalidArgumentError(
          'Another reader (an open iterator) is consuming from this consumer; end it (break, return or abort) ' +
            'before starting another one or calling poll()',
        );
      }
      this.activeReader = reader;
    } else if (this.activeReader !== undefined) {
      throw new InvalidArgumentError(
        'poll() cannot be called while an iterator is consuming from this consumer; end the iterator first',
      );
    }
    this.lastReadAt = Date.now();
    this.setIdle();
    this.hooks.onRead();
  }

  /**
   * True while records are in the application's hands: delivered, and the application has not come back for more
   * (nor ended its reader). A rebalance waits for this to clear before it commits and revokes.
   */
  get recordsInHand(): boolean {
    return this.inHand;
  }

  /** Resolves when no records are in the application's hands. */
  whenIdle(): Promise<void> {
    if (!this.inHand) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  private setIdle(): void {
    if (!this.inHand) return;
    this.inHand = false;
    for (const waiter of this.idleWaiters.splice(0)) waiter();
  }

  /** Ends the active reader; when no reader is left, fetching ahead stops. */
  endReader(reader: object): void {
    if (this.activeReader !== reader) return;
    this.activeReader = undefined;
    this.lastReadAt = Date.now();
    this.setIdle();
    this.hooks.onIdle();
  }

  /** Acknowledges every record delivered so far: the application is back for more, so it finished them. */
  acknowledgeDelivered(): void {
    this.polled = false;
    const unacked = this.unacked;
    if (unacked.length === 0) return;
    for (let i = 0; i < unacked.length; i++) unacked[i]!.acknowledgeDelivered();
    unacked.length = 0;
  }

  /** Forgets delivered records without acknowledging them (at-most-once and manual modes acknowledge otherwise). */
  releaseDelivered(): void {
    this.polled = false;
    this.unacked.length = 0;
  }

  /** Records that the records just taken were handed out by `poll()`. */
  markPolled(): void {
    this.polled = true;
  }

  /**
   * On `close()` and `unsubscribe()`: the records the last `poll()` returned count as processed, as Java's `close()`
   * commits the positions `poll()` reached. Records handed out by an iterator are not acknowledged here: the
   * record in a loop body's hands when the consumer closes is not processed.
   */
  acknowledgePolled(): void {
    if (this.polled) this.acknowledgeDelivered();
  }

  /**
   * Throws what the application must see before more records: a consumer-level error (once), or the error of a
   * failed partition (on every read until the partition is sought or revoked).
   */
  checkErrors(): void {
    const pending = this.pendingError;
    if (pending !== undefined) {
      this.pendingError = undefined;
      throw pending;
    }
    if (this.failed.size === 0) return;
    for (const state of this.failed) {
      if (state.state !== 'failed' || state.revoking || state.error === undefined) this.failed.delete(state);
      else throw state.error;
    }
  }

  /** Takes the next record, or `undefined` when none is ready. */
  takeRecord(): T | undefined {
    const buffer = this.buffer;
    const value = buffer.takeRecord(this.convert);
    if (value !== undefined) {
      const state = buffer.lastTakenState!;
      const unacked = this.unacked;
      if (unacked.length === 0 || unacked[unacked.length - 1] !== state) unacked.push(state);
      this.recordsDelivered++;
      this.inHand = true;
    }
    return value;
  }

  /** Takes up to `max` records grouped by partition. */
  take(max: number): TakenRecords<T>[] {
    const taken = this.buffer.take(max, this.convert);
    for (const { state, records } of taken) {
      if (!this.unacked.includes(state)) this.unacked.push(state);
      this.recordsDelivered += records.length;
    }
    if (taken.length > 0) this.inHand = true;
    return taken;
  }

  /** True when a record (or a buffered error) may be taken now. */
  hasRecords(): boolean {
    return this.buffer.hasDeliverable();
  }

  /** Buffered records, deliverable or not. */
  get bufferedRecords(): number {
    return this.buffer.records;
  }

  /**
   * Waits until something changes: records arrived, an error was raised, the consumer is closing, `timeoutMs`
   * passed or `signal` aborted. Never rejects; the caller checks what changed.
   */
  async wait(timeoutMs: number | undefined, signal: AbortSignal | undefined): Promise<void> {
    if (this.closedError !== undefined || signal?.aborted === true) return;
    await this.waiters.wait(timeoutMs, signal);
    this.lastReadAt = Date.now();
  }

  /** Wakes every waiting reader. */
  private notify(): void {
    this.waiters.wakeAll();
  }

  /** Raises an error to the application at its next read (once), waking waiting readers. */
  raise(error: KafkaError): void {
    this.pendingError ??= error;
    this.notify();
  }

  /** Ends every reader: the consumer is closing. */
  close(reason?: KafkaError): void {
    this.closedError ??= reason ?? new ClientClosedError('The consumer is closed');
    this.setIdle();
    this.notify();
  }
}
