import { ClientClosedError } from '../errors/client-errors.js';
import { isKafkaError, type KafkaError } from '../errors/kafka-error.js';
import type { Connection } from '../network/connection.js';
import { ListenerMismatchTracker, listenerMismatchError } from '../network/listener-mismatch.js';
import { Metadata } from '../protocol/messages/generated/metadata.js';
import { type BackoffOptions, backoffDelay } from '../utils/backoff.js';
import { delay } from '../utils/delay.js';

/** What a {@link BrokerConnection} needs of the connections it manages (a `Connection`; fakes in unit tests). */
export type ManagedConnection = Pick<
  Connection,
  'host' | 'port' | 'label' | 'ready' | 'listenerMismatch' | 'connect' | 'close' | 'onClose' | 'send'
>;

/**
 * The connection to one broker for one purpose ("lane"), re-created on demand after it breaks.
 *
 * Reconnects back off exponentially with jitter (Java: reconnect.backoff.ms / reconnect.backoff.max.ms). Errors that
 * retrying cannot fix (authentication, TLS) are not retried here: they reject every `get()` until `close()`, so
 * callers fail fast instead of looping.
 *
 * It also confirms a suspected listener mismatch (see `network/listener-mismatch.ts`): after a connection that
 * failed the way a TLS client on a plaintext listener fails, `get()` tries again at once (after the backoff); after
 * one that the broker closed at its first request, as a SASL listener closes a client without SASL, the next
 * connection proves itself with a small Metadata request before it is handed out. A second identical observation
 * in a row ends in the diagnosis, a `TlsError` or an `AuthenticationError`, which is then fatal like the others.
 */
export class BrokerConnection<C extends ManagedConnection = Connection> {
  private current: C | undefined;
  private pending: Promise<C> | undefined;
  private failures = 0;
  private lastFailureAt = 0;
  private fatal: KafkaError | undefined;
  private closed = false;
  private readonly abort = new AbortController();
  private readonly mismatches = new ListenerMismatchTracker();

  /**
   * @param create Makes a new, unconnected connection.
   * @param backoff Reconnect backoff.
   */
  constructor(
    private readonly create: () => C,
    private readonly backoff: BackoffOptions,
  ) {}

  /** The live connection if it is ready, without connecting. */
  get readyConnection(): C | undefined {
    return this.current?.ready === true ? this.current : undefined;
  }

  /** Resolves with a ready connection, connecting (after any backoff) if needed. */
  get(): Promise<C> {
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

  private async open(): Promise<C> {
    for (;;) {
      if (this.failures > 0) {
        const wait = backoffDelay(this.backoff, this.failures - 1) - (Date.now() - this.lastFailureAt);
        if (wait > 0) await delay(wait, this.abort.signal);
      }
      if (this.closed) throw new ClientClosedError('The client was closed while waiting to reconnect');
      const connection = this.create();
      this.current = connection;
      let handedOut = false;
      connection.onClose((error) => {
        if (this.current === connection) this.current = undefined;
        if (handedOut) this.onClosedAfterUse(connection, error);
      });
      try {
        await connection.connect();
        if (this.mismatches.suspected === 'sasl-required') await this.probe(connection);
        this.mismatches.reset();
        this.failures = 0;
        handedOut = true;
        return connection;
      } catch (error) {
        connection.close(); // a probe that failed without breaking the connection
        this.failures++;
        this.lastFailureAt = Date.now();
        const mismatch = connection.listenerMismatch;
        if (this.mismatches.observe(mismatch)) {
          this.fatal = listenerMismatchError(
            mismatch!,
            `${connection.host}:${connection.port}`,
            connection.label,
            this.mismatches.observations,
            error,
          );
          throw this.fatal;
        }
        // A suspected TLS-on-plaintext is confirmed or cleared by the next attempt, within this call.
        if (mismatch === 'tls-to-plaintext') continue;
        if (isKafkaError(error) && !error.retriable) this.fatal = error;
        throw error;
      }
    }
  }

  /**
   * A small request (Metadata for no topic) that a connection must answer before it is handed out, after the
   * previous one was closed at its first request: a SASL listener closes this one too.
   */
  private async probe(connection: C): Promise<void> {
    await connection.send(Metadata, {
      topics: [],
      allowAutoTopicCreation: false,
      includeTopicAuthorizedOperations: false,
    });
  }

  /**
   * A connection that was handed out closed: note what it suggests. Its error is not kept as fatal: the
   * reconnection's own setup decides (a lasting TLS or SASL problem fails it at once), so a transient failure of a
   * working connection never ends the client.
   */
  private onClosedAfterUse(connection: C, error: KafkaError | undefined): void {
    if (this.closed || error === undefined) return;
    const mismatch = connection.listenerMismatch;
    if (this.mismatches.observe(mismatch)) {
      const address = `${connection.host}:${connection.port}`;
      const observations = this.mismatches.observations;
      this.fatal ??= listenerMismatchError(mismatch!, address, connection.label, observations, error);
    }
  }
}
