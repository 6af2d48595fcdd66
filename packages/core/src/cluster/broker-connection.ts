import { ClientClosedError } from '../errors/client-errors.js';
import { isKafkaError, type KafkaError } from '../errors/kafka-error.js';
import type { Connection } from '../network/connection.js';
import { type BackoffOptions, backoffDelay } from '../utils/backoff.js';
import { delay } from '../utils/delay.js';

/**
 * The connection to one broker for one purpose ("lane"), re-created on demand after it breaks.
 *
 * Reconnects back off exponentially with jitter (Java: reconnect.backoff.ms / reconnect.backoff.max.ms). Errors that
 * retrying cannot fix (authentication, TLS verification) are not retried here: they reject every `get()` until
 * `close()`, so callers fail fast instead of looping.
 */
export class BrokerConnection {
  private current: Connection | undefined;
  private pending: Promise<Connection> | undefined;
  private failures = 0;
  private lastFailureAt = 0;
  private fatal: KafkaError | undefined;
  private closed = false;
  private readonly abort = new AbortController();

  /**
   * @param create Makes a new, unconnected connection.
   * @param backoff Reconnect backoff.
   */
  constructor(
    private readonly create: () => Connection,
    private readonly backoff: BackoffOptions,
  ) {}

  /** The live connection if it is ready, without connecting. */
  get readyConnection(): Connection | undefined {
    return this.current?.ready === true ? this.current : undefined;
  }

  /** Resolves with a ready connection, connecting (after any backoff) if needed. */
  get(): Promise<Connection> {
    const current = this.current;
    if (current?.ready) return Promise.resolve(current);
    if (this.fatal !== undefined) return Promise.reject(this.fatal);
    this.pending ??= this.open().finally(() => {
      this.pending = undefined;
    });
    return this.pending;
  }

  /** Closes the connection and stops reconnecting. */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.abort.abort();
    this.current?.close();
    this.current = undefined;
  }

  private async open(): Promise<Connection> {
    if (this.failures > 0) {
      const wait = backoffDelay(this.backoff, this.failures - 1) - (Date.now() - this.lastFailureAt);
      if (wait > 0) await delay(wait, this.abort.signal);
    }
    if (this.closed) throw new ClientClosedError('The client was closed while waiting to reconnect');
    const connection = this.create();
    this.current = connection;
    connection.onClose(() => {
      if (this.current === connection) this.current = undefined;
    });
    try {
      await connection.connect();
      this.failures = 0;
      return connection;
    } catch (error) {
      this.failures++;
      this.lastFailureAt = Date.now();
      if (isKafkaError(error) && !error.retriable) this.fatal = error;
      throw error;
    }
  }
}
