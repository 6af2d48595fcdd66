import type { ConsumerProcessPayload, TracedRecord } from '../../diagnostics/payloads.js';
import { consumerTraced, endProcess, type TraceIdentity, traceStep } from '../traced-consumer.js';
import type { AcknowledgeType } from './acknowledge-type.js';

/** Options of `shareConsumer.records()`. */
export interface ShareRecordIteratorOptions {
  /** Ends the iteration when aborted, even while no record is arriving. */
  readonly signal?: AbortSignal;
  /**
   * What happens to the record in the loop body's hands when the loop is left other than by asking for the next
   * record: a `throw`, a `break`, a `return`, or the iterator's own `return()`. JavaScript does not tell these apart,
   * so one setting covers them: `release` (default) makes the record available again for another delivery
   * attempt; `reject` archives it (use it when a throw means the record is unprocessable). A record the body
   * acknowledged itself (`consumer.acknowledge(record, type)`) keeps that acknowledgement.
   */
  readonly onExit?: 'release' | 'reject';
}

/** What the iterator needs from the share consumer. */
export interface ShareIteratorHost<T> {
  /** Starts a read: throws when the consumer is closed or another reader is active. Starts membership and fetching. */
  beginRead(reader: object): void;
  /** Takes the next record, or undefined when none is ready. Throws errors the application must see. */
  takeRecord(): T | undefined;
  /** Waits until something changes (records, an error, close, abort). Never rejects. */
  wait(signal: AbortSignal): Promise<void>;
  /** Settles a record with `type` unless it is settled already; never throws. */
  settle(record: T, type: AcknowledgeType): void;
  /** The reader ended: stop fetching ahead and release what was fetched and not handed out. */
  endReader(reader: object): void;
  /** True once the consumer is closing. */
  readonly closed: boolean;
  /** Who the diagnostics payloads are about (`client.id`, share group). */
  readonly identity?: TraceIdentity;
}

/** The identity of a host that gave none (test hosts). */
const UNNAMED_SHARE: TraceIdentity = { clientId: '', groupId: undefined, groupKind: 'share' };

const DONE: IteratorResult<never, undefined> = Object.freeze({ done: true, value: undefined });

/**
 * The share consumer's record iterator (`for await (const record of shareConsumer)`): each record is settled by
 * how the loop body ends.
 *
 * - The body completes and the loop asks for the next record: the record is **accepted** (unless the body
 *   acknowledged it otherwise).
 * - The body throws, breaks or returns: the record is **released** for another attempt (or **rejected**, with
 *   `onExit: 'reject'`), and the iteration ends: fetching ahead stops and the records fetched and not handed out
 *   are released at once, so other members can take them.
 * - `signal` aborting, `await using` and `close()` end the iteration the same way, even while no record arrives.
 *
 * Acknowledgements are sent in the background, riding on the next fetch; `commitSync()` waits for them. Written by
 * hand rather than as an async generator so that it ends promptly on every path; a record that is ready is handed
 * out with an already-resolved promise.
 */
export class ShareRecordIterator<T> implements AsyncIterableIterator<T>, AsyncDisposable {
  private readonly host: ShareIteratorHost<T>;
  private readonly onExit: 'release' | 'reject';
  private readonly userSignal: AbortSignal | undefined;
  private readonly stop = new AbortController();
  private readonly signal: AbortSignal;
  private inHand: T | undefined;
  private finished = false;
  private pending: Promise<IteratorResult<T, undefined>> | undefined;
  /** The `vltava:consumer:process` trace of the record in the loop body's hands, when one is open. */
  private processing: ConsumerProcessPayload | undefined;

  /** @internal Made by the share consumer (`records()`, `for await`). */
  constructor(host: ShareIteratorHost<T>, options: ShareRecordIteratorOptions = {}) {
    this.host = host;
    this.onExit = options.onExit ?? 'release';
    this.userSignal = options.signal;
    this.signal = options.signal === undefined ? this.stop.signal : AbortSignal.any([options.signal, this.stop.signal]);
    options.signal?.addEventListener('abort', () => void this.end(), { once: true, signal: this.stop.signal });
  }

  [Symbol.asyncIterator](): this {
    return this;
  }

  /** The next record, once one is acquired; done when the iteration ended (`break`, abort, close). */
  next(): Promise<IteratorResult<T, undefined>> {
    // Asking for the next record ends the processing of the previous one.
    if (this.processing !== undefined) this.endProcessing(undefined);
    if (!consumerTraced()) return this.advance();
    return this.tracedAdvance();
  }

  /**
   * {@link next} with `vltava:consumer:deliver` (hand-over `record`, group kind `share`) and the record's
   * `vltava:consumer:process` trace, open until the next step, `return()` or `throw()` (only with a subscriber).
   */
  private tracedAdvance(): Promise<IteratorResult<T, undefined>> {
    return traceStep(
      this.host.identity ?? UNNAMED_SHARE,
      'record',
      () => this.advance(),
      (record) => [record as unknown as TracedRecord],
      true,
      (payload) => {
        this.processing = payload;
      },
    );
  }

  private endProcessing(error: unknown): void {
    const processing = this.processing!;
    this.processing = undefined;
    endProcess(processing, error);
  }

  private advance(): Promise<IteratorResult<T, undefined>> {
    if (this.finished) return Promise.resolve(DONE);
    if (this.pending !== undefined) return this.pending.then(() => this.next());
    const previous = this.inHand;
    this.inHand = undefined;
    if (previous !== undefined) this.host.settle(previous, 'accept');
    try {
      if (this.host.closed || this.userSignal?.aborted === true) return this.end();
      this.host.beginRead(this);
      const value = this.host.takeRecord();
      if (value !== undefined) {
        this.inHand = value;
        return Promise.resolve({ done: false, value });
      }
    } catch (error) {
      return this.fail(error);
    }
    const waiting = this.waitForRecord().finally(() => {
      this.pending = undefined;
    });
    this.pending = waiting;
    return waiting;
  }

  /** Ends the iteration (`break`, `return` and a throw in a `for await` body call it); settles the record in hand. */
  return(): Promise<IteratorResult<T, undefined>> {
    return this.end();
  }

  /** Ends the iteration like {@link return}, then rejects with `error`. */
  async throw(error?: unknown): Promise<IteratorResult<T, undefined>> {
    if (this.processing !== undefined) this.endProcessing(error);
    await this.end();
    throw error;
  }

  /** `await using it = shareConsumer.records()` ends the iteration when the scope ends. */
  async [Symbol.asyncDispose](): Promise<void> {
    await this.end();
  }

  private async waitForRecord(): Promise<IteratorResult<T, undefined>> {
    for (;;) {
      await this.host.wait(this.signal);
      if (this.finished || this.host.closed || this.signal.aborted) return this.end();
      try {
        const value = this.host.takeRecord();
        if (value !== undefined) {
          this.inHand = value;
          return { done: false, value };
        }
      } catch (error) {
        return this.fail(error);
      }
    }
  }

  private end(): Promise<IteratorResult<T, undefined>> {
    if (this.processing !== undefined) this.endProcessing(undefined);
    if (!this.finished) {
      this.finished = true;
      this.stop.abort();
      const record = this.inHand;
      this.inHand = undefined;
      if (record !== undefined) this.host.settle(record, this.onExit);
      this.host.endReader(this);
    }
    return Promise.resolve(DONE);
  }

  private async fail(error: unknown): Promise<never> {
    await this.end();
    throw error;
  }
}
