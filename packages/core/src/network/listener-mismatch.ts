import { AuthenticationError, TlsError } from '../errors/client-errors.js';
import type { KafkaError } from '../errors/kafka-error.js';

/**
 * A client whose security settings do not match the broker listener it reached (a Kafka listener speaks exactly
 * one of PLAINTEXT, SSL, SASL_PLAINTEXT, SASL_SSL). Two mismatches leave only circumstantial evidence, one
 * observation at a time:
 *
 * - `tls-to-plaintext`: a TLS client on a PLAINTEXT or SASL_PLAINTEXT listener. The broker reads the ClientHello
 *   as the size of a huge request and closes the socket: the TCP connection was accepted, then closed during the
 *   TLS handshake with zero bytes received (not even an alert).
 * - `sasl-required`: a client without SASL on a SASL_PLAINTEXT or SASL_SSL listener. The broker answers ApiVersions
 *   (allowed before authentication), then closes the connection at the first other request (illegal SASL state),
 *   without an answer.
 *
 * A broker that crashed at that instant, or a limit such as `max.connections.per.ip`, looks the same once. So a
 * `Connection` only reports what it saw, and {@link ListenerMismatchTracker} (one per broker address and
 * purpose, in `BrokerConnection`) turns it into a fatal diagnosis after {@link MISMATCH_OBSERVATIONS} identical
 * observations in a row. The third mismatch, a plaintext client on a TLS listener, is certain at once: the broker
 * answers with a TLS record (see {@link looksLikeTlsRecord}).
 */
export type ListenerMismatch = 'tls-to-plaintext' | 'sasl-required';

/**
 * Identical observations in a row, on one broker address, that make a {@link ListenerMismatch} certain. Two: the
 * second attempt follows the first after the reconnect backoff (`reconnectBackoffMs`, 50 ms by default), so one
 * broker crash or one connection dropped by the network cannot produce both, while a mismatch produces every one
 * of them within a few milliseconds.
 */
export const MISMATCH_OBSERVATIONS = 2;

/**
 * Counts identical {@link ListenerMismatch} observations in a row. Any other outcome of a connection attempt (a
 * connection that served a request, a refused or timed-out connect, another failure) starts the count again.
 */
export class ListenerMismatchTracker {
  private kind: ListenerMismatch | undefined;
  private count = 0;

  /** The mismatch seen last, awaiting confirmation; undefined when the last outcome was anything else. */
  get suspected(): ListenerMismatch | undefined {
    return this.kind;
  }

  /** How many times in a row {@link suspected} was seen. */
  get observations(): number {
    return this.count;
  }

  /**
   * Records the outcome of one connection: the mismatch it suggests, or undefined for any other outcome.
   * Returns true when this observation makes the mismatch certain.
   */
  observe(kind: ListenerMismatch | undefined): boolean {
    if (kind === undefined) {
      this.reset();
      return false;
    }
    this.count = kind === this.kind ? this.count + 1 : 1;
    this.kind = kind;
    return this.count >= MISMATCH_OBSERVATIONS;
  }

  /** Forgets what was seen (a connection worked). */
  reset(): void {
    this.kind = undefined;
    this.count = 0;
  }
}

/**
 * The non-retriable error of a confirmed mismatch: a {@link TlsError} for `tls-to-plaintext`, an
 * {@link AuthenticationError} for `sasl-required` (both end the client: `recovery` is `fail-client`). `address` is
 * `host:port`; `broker` the label used in messages.
 */
export function listenerMismatchError(
  kind: ListenerMismatch,
  address: string,
  broker: string,
  observations: number,
  cause?: unknown,
): KafkaError {
  const times = `${observations} times in a row`;
  if (kind === 'tls-to-plaintext') {
    return new TlsError(
      `The broker closed the connection during the TLS handshake without answering (${times}); is ${address} a ` +
        "PLAINTEXT/SASL_PLAINTEXT listener? Remove ssl or use the SSL listener's port",
      { broker, cause },
    );
  }
  return new AuthenticationError(
    `The broker answered ApiVersions, then closed the connection at the first other request (${times}): the ` +
      `listener at ${address} requires SASL authentication (SASL_PLAINTEXT or SASL_SSL): set sasl (mechanism and ` +
      "credentials), or use a PLAINTEXT or SSL listener's port",
    { broker, cause },
  );
}

/** What one observation of a mismatch adds to the retriable error it closes the connection with. */
export function listenerMismatchHint(kind: ListenerMismatch, address: string): string {
  return kind === 'tls-to-plaintext'
    ? `the broker closed the connection during the TLS handshake without answering; if ${address} is a ` +
        'PLAINTEXT/SASL_PLAINTEXT listener, remove ssl'
    : `the broker closed the connection at the first request after ApiVersions; if ${address} is a SASL listener, ` +
        'set sasl';
}

/**
 * True when `bytes` (at least 3) start like a TLS record: content type change_cipher_spec, alert, handshake or
 * application_data (0x14-0x17), then major version 3 and minor version 0-4 (SSL 3.0 to TLS 1.3's legacy field).
 * Read as a Kafka response size, such a header is at least 0x14030000 (335 MB): no broker answers a plaintext
 * client with it unless the port speaks TLS (a TLS listener answers a Kafka request with an alert, 0x15 0x03 0x03).
 */
export function looksLikeTlsRecord(bytes: Buffer): boolean {
  if (bytes.length < 3) return false;
  const type = bytes[0]!;
  return type >= 0x14 && type <= 0x17 && bytes[1] === 0x03 && bytes[2]! <= 0x04;
}

/** The error of a plaintext client that got a TLS record instead of a Kafka response: certain at once. */
export function plaintextToTlsError(address: string, broker: string): TlsError {
  return new TlsError(
    `${address} answered with a TLS record where a Kafka response was expected: this port speaks TLS (an SSL or ` +
      "SASL_SSL listener): set ssl (with the broker's CA), or use a PLAINTEXT listener's port",
    { broker },
  );
}
