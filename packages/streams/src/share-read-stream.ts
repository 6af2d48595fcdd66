import { Readable } from 'node:stream';
import {
  type AcknowledgeType,
  type ConsumerProcessPayload,
  diagnosticChannels,
  InvalidArgumentError,
  type ShareConsumerLike,
  ShareMessage,
} from '@vltava/core';
import {
  abandonProcess,
  checkOptions,
  endProcess,
  processPayload,
  processWith,
  type TraceIdentity,
} from '@vltava/core/internal';
import { SHARE_READ_STREAM_OPTIONS_SCHEMA } from './option-schemas.js';
import type { ReadableIterator } from './read-stream.js';

/** Options of {@link createShareReadStream}. */
export interface ShareReadStreamOptions {
  /** Topics to subscribe the consumer to; without it, it must be subscribed already. */
  readonly topics?: string | readonly string[];
  /** Messages the stream buffers before it stops polling. Default 256. */
  readonly highWaterMark?: number;
  /**
   * Messages emitted and not settled at which the stream stops polling (the consumer's prefetch then fills and
   * its fetching stops), until settlements bring the count back under it. Default 1000.
   */
  readonly maxInFlight?: number;
  /** Longest wait of each poll when no record is ready. Default 200. */
  readonly pollTimeoutMs?: number;
  /** Close the consumer when the stream ends or is destroyed. Default true. */
  readonly closeConsumer?: boolean;
}

/**
 * An object-mode `Readable` of a share consumer's records, as `ShareMessage`s of `@vltava/core` (see
 * {@link createShareReadStream}).
 */
export class ShareReadable<K = Buffer | null, V = Buffer | null> extends Readable {
  private readonly consumer: ShareConsumerLike<K, V>;
  private readonly maxInFlight: number;
  private readonly pollTimeoutMs: number;
  private readonly closeConsumer: boolean;
  private readonly unsettled = new Set<ShareMessage<K, V>>();
  private pulling = false;
  private stopped = false;
  private wake: (() => void) | undefined;
  /** The open `vltava:consumer:process` traces of unsettled messages (made only with a subscriber). */
  private processing: Map<ShareMessage<K, V>, ConsumerProcessPayload> | undefined;
  private identity: TraceIdentity | undefined;
  /** What the last traced push returned. */
  private pushed = true;
  private settleMessage = (message: ShareMessage<K, V>, type: AcknowledgeType): boolean => {
    if (!this.unsettled.has(message)) return false;
    try {
      this.consumer.acknowledge(message.record, type);
    } catch (error) {
      this.destroy(error as Error);
      return false;
    }
    if (type === 'renew') return true;
    message.markSettled(type);
    this.unsettled.delete(message);
    if (this.processing !== undefined) this.endTrace(message);
    if (this.wake !== undefined && this.unsettled.size < this.maxInFlight) {
      const resume = this.wake;
      this.wake = undefined;
      resume();
    }
    return true;
  };

  constructor(consumer: ShareConsumerLike<K, V>, options: ShareReadStreamOptions = {}) {
    checkOptions(options, SHARE_READ_STREAM_OPTIONS_SCHEMA, 'createShareReadStream()', 'call');
    super({ objectMode: true, highWaterMark: options.highWaterMark ?? 256 });
    if (consumer.acknowledgementMode !== 'explicit') {
      throw new InvalidArgumentError(
        "createShareReadStream needs a share consumer with shareAcknowledgementMode: 'explicit'",
      );
    }
    this.consumer = consumer;
    this.maxInFlight = options.maxInFlight ?? 1000;
    this.pollTimeoutMs = options.pollTimeoutMs ?? 200;
    this.closeConsumer = options.closeConsumer ?? true;
    if (!Number.isSafeInteger(this.maxInFlight) || this.maxInFlight < 1) {
      throw new InvalidArgumentError(`maxInFlight must be a positive integer, got ${String(options.maxInFlight)}`);
    }
    if (options.topics !== undefined) consumer.subscribe(options.topics);
  }

  /** Messages emitted and not settled yet. */
  get inFlight(): number {
    return this.unsettled.size;
  }

  /** Ends the stream cleanly: no more polls; messages already emitted can still be settled. */
  stop(): void {
    this.stopped = true;
    const resume = this.wake;
    this.wake = undefined;
    resume?.();
  }

  override _read(): void {
    if (!this.pulling) void this.pull();
  }

  private async pull(): Promise<void> {
    this.pulling = true;
    try {
      for (;;) {
        if (this.destroyed) return;
        if (this.stopped) {
          this.push(null);
          return;
        }
        if (this.unsettled.size >= this.maxInFlight) {
          await new Promise<void>((resolve) => {
            this.wake = resolve;
          });
          continue;
        }
        const room = Math.max(1, Math.min(this.maxInFlight - this.unsettled.size, this.readableHighWaterMark));
        const records = await this.consumer.poll({ timeoutMs: this.pollTimeoutMs, maxRecords: room });
        let more = true;
        for (const record of records) {
          if (this.destroyed || this.stopped) {
            this.consumer.acknowledge(record, 'release');
            continue;
          }
          const message = new ShareMessage<K, V>(record, this.settleMessage);
          this.unsettled.add(message);
          if (diagnosticChannels.consumerProcess.hasSubscribers) more = this.pushTraced(message) && more;
          else more = this.push(message) && more;
        }
        if (!more) return;
      }
    } catch (error) {
      this.destroy(error as Error);
    } finally {
      this.pulling = false;
    }
  }

  /**
   * Pushes a message in its `vltava:consumer:process` trace (`groupKind: 'share'`): the stages downstream that run
   * synchronously in the push run in the context a subscriber gave; the trace ends when the message is settled.
   */
  private pushTraced(message: ShareMessage<K, V>): boolean {
    this.identity ??= {
      clientId: (this.consumer as { readonly clientId?: string }).clientId ?? '',
      groupId: (this.consumer as { readonly groupId?: string }).groupId,
      groupKind: 'share',
    };
    this.processing ??= new Map();
    const payload = processPayload(this.identity, [message.record]);
    // Registered before the push: the stage downstream may settle the message (or destroy the stream) inside it.
    this.processing.set(message, payload);
    processWith(payload, this.pushOne, message);
    return this.pushed;
  }

  private readonly pushOne = (message: ShareMessage<K, V>): void => {
    this.pushed = this.push(message);
  };

  /** Ends a settled message's trace; `abandoned` says why it ended unsettled. */
  private endTrace(message: ShareMessage<K, V>, abandoned?: string): void {
    const payload = this.processing!.get(message);
    if (payload === undefined) return;
    this.processing!.delete(message);
    if (abandoned === undefined) endProcess(payload);
    else abandonProcess(payload, abandoned);
  }

  /** The messages, for `for await`: Node's iterator of a `Readable`, typed for this stream's messages. */
  override [Symbol.asyncIterator](): ReadableIterator<ShareMessage<K, V>> {
    return super[Symbol.asyncIterator]() as ReadableIterator<ShareMessage<K, V>>;
  }

  override _destroy(error: Error | null, callback: (error?: Error | null) => void): void {
    this.stopped = true;
    const resume = this.wake;
    this.wake = undefined;
    resume?.();
    for (const message of this.unsettled) {
      if (this.processing !== undefined) {
        this.endTrace(message, 'the stream was destroyed before the message was settled: it was released');
      }
      if (!message.markSettled('release')) continue;
      try {
        this.consumer.acknowledge(message.record, 'release');
      } catch {
        // Released already.
      }
    }
    this.unsettled.clear();
    if (!this.closeConsumer) {
      callback(error);
      return;
    }
    this.consumer.close().then(
      () => callback(error),
      (closeError: unknown) => callback(error ?? (closeError as Error)),
    );
  }
}

/**
 * A share consumer (KIP-932) as an object-mode `Readable` of `ShareMessage`s (the same `@vltava/rx`'s
 * `fromShareConsumer` emits): each record is acquired
 * for this member under a lock, and settled on its own by whatever stage handles it (`accept`, `release`,
 * `reject`), in any order, so that a pipeline may process several at once. The acknowledgement contract is the one
 * of `@vltava/rx`'s `fromShareConsumer`: at least once; a released message, one left unsettled until its lock
 * expires, or one held when the stream is destroyed, is delivered again with a higher `deliveryCount`.
 *
 * Backpressure: the stream stops polling when its buffer reaches `highWaterMark` or when `maxInFlight` messages
 * are emitted and not settled; the consumer's prefetch then fills and it stops fetching. Destroying the stream
 * (or the end of a `pipeline`) releases unsettled messages and closes the consumer.
 *
 * ```ts
 * const consumer = new ShareConsumer({ brokers, groupId: 'mailers', shareAcknowledgementMode: 'explicit' });
 * await pipeline(
 *   createShareReadStream(consumer, { topics: ['emails'] }),
 *   new Writable({
 *     objectMode: true,
 *     async write(message, _encoding, done) {
 *       try { await send(message.record.value); message.accept(); } catch { message.release(); }
 *       done();
 *     },
 *   }),
 * );
 * ```
 */
export function createShareReadStream<K, V>(
  consumer: ShareConsumerLike<K, V>,
  options: ShareReadStreamOptions = {},
): ShareReadable<K, V> {
  return new ShareReadable(consumer, options);
}
