import type { ErrorRecovery } from './error-classification.js';
import { describeContext, type ErrorContext, isKafkaError, KafkaError, type KafkaErrorOptions } from './kafka-error.js';

/**
 * Options of the client errors that a Kafka error code can also raise (authentication, unsupported version, record
 * too large, corrupt record): the generated class of that code passes Kafka's name as `code` and its numbers.
 */
export interface KafkaCodeOptions extends KafkaErrorOptions {
  /** Overrides the class's `ERR_*` code (broker answers use the Kafka error name). */
  readonly code?: string;
  /** Kafka's name for the error code. */
  readonly kafkaErrorName?: string;
  /** Kafka's numeric error code. */
  readonly kafkaErrorCode?: number;
}

/**
 * A connection to a broker could not be established, or broke. Retriable: the client reconnects with backoff.
 * Requests that were in flight on a broken connection fail with this error.
 */
export class ConnectionError extends KafkaError {
  constructor(message: string, options: KafkaErrorOptions = {}) {
    super(`${message}${describeContext(options)}`, 'ERR_CONNECTION', true, options);
  }
}

/**
 * The TLS handshake failed (untrusted certificate, hostname mismatch, protocol mismatch). Not retriable: the
 * same configuration fails the same way, so the client fails fast instead of looping.
 */
export class TlsError extends KafkaError {
  constructor(message: string, options: KafkaErrorOptions = {}) {
    super(`${message}${describeContext(options)}`, 'ERR_TLS', false, options);
  }

  /** The same TLS configuration fails every connection the same way. */
  override get recovery(): ErrorRecovery {
    return 'fail-client';
  }
}

/** A request got no response within its timeout (`requestTimeoutMs`). Retriable. */
export class RequestTimeoutError extends KafkaError {
  constructor(message: string, options: KafkaErrorOptions = {}) {
    super(`${message}${describeContext(options)}`, 'ERR_REQUEST_TIMEOUT', true, options);
  }
}

/**
 * An operation did not complete within the time the caller allowed (`flush`, `close`, `maxBlockMs`,
 * `deliveryTimeoutMs`, ...). The message says which bound was hit.
 */
export class KafkaTimeoutError extends KafkaError {
  constructor(message: string, options: KafkaErrorOptions = {}) {
    super(`${message}${describeContext(options)}`, 'ERR_TIMEOUT', true, options);
  }
}

/**
 * Bytes on the wire do not follow the Kafka protocol: a truncated frame, a length that points past the end, an
 * unknown correlation id. Never retriable on the same bytes; the connection that produced them is closed.
 */
export class ProtocolError extends KafkaError {
  constructor(message: string, options: KafkaErrorOptions = {}) {
    super(`${message}${describeContext(options)}`, 'ERR_PROTOCOL', false, options);
  }
}

/**
 * A record batch failed its CRC check or could not be decoded. Raised instead of skipping the batch: the consumer
 * stops at the corrupt offset and reports it, so nothing is lost in silence.
 */
export class CorruptRecordError extends KafkaError {
  /** Offset of the first record of the corrupt batch, when known. */
  readonly offset: bigint | undefined;

  constructor(message: string, options: KafkaCodeOptions & { offset?: bigint } = {}) {
    super(`${message}${describeContext(options)}`, options.code ?? 'ERR_CORRUPT_RECORD', false, {
      ...options,
      kafkaErrorName: 'CORRUPT_MESSAGE',
      kafkaErrorCode: 2,
    });
    this.offset = options.offset;
  }
}

/**
 * A record (or a request made of it) is larger than a limit: `maxRequestSize`, `bufferMemory`, or the broker's
 * `message.max.bytes` / `max.message.bytes`. The record fails alone; other records are unaffected.
 */
export class RecordTooLargeError extends KafkaError {
  constructor(message: string, options: KafkaCodeOptions = {}) {
    super(`${message}${describeContext(options)}`, options.code ?? 'ERR_RECORD_TOO_LARGE', false, options);
  }
}

/** A configuration value is invalid or conflicts with another. Raised when the client is created. */
export class ConfigError extends KafkaError {
  constructor(message: string, options: KafkaErrorOptions = {}) {
    super(message, 'ERR_CONFIG', false, options);
  }
}

/** An argument passed to a method is invalid (a negative partition, a missing topic, ...). */
export class InvalidArgumentError extends KafkaError {
  constructor(message: string, options: KafkaErrorOptions = {}) {
    super(`${message}${describeContext(options)}`, 'ERR_INVALID_ARGUMENT', false, options);
  }
}

/**
 * SASL authentication failed: wrong credentials, a mechanism the broker does not enable, an expired token.
 * Not retriable: the client fails fast instead of retrying with the same credentials.
 */
export class AuthenticationError extends KafkaError {
  constructor(message: string, options: KafkaCodeOptions = {}) {
    super(`${message}${describeContext(options)}`, options.code ?? 'ERR_AUTHENTICATION', false, options);
  }

  /** The same credentials are refused on every connection. */
  override get recovery(): ErrorRecovery {
    return 'fail-client';
  }
}

/** The broker and the client share no version of an API that an operation needs. */
export class UnsupportedVersionError extends KafkaError {
  constructor(message: string, options: KafkaCodeOptions = {}) {
    super(`${message}${describeContext(options)}`, options.code ?? 'ERR_UNSUPPORTED_VERSION', false, {
      ...options,
      kafkaErrorName: 'UNSUPPORTED_VERSION',
      kafkaErrorCode: 35,
    });
  }
}

/** The client (producer, consumer, admin or connection) was closed; the operation cannot proceed. */
export class ClientClosedError extends KafkaError {
  constructor(message: string, options: KafkaErrorOptions = {}) {
    super(`${message}${describeContext(options)}`, 'ERR_CLOSED', false, options);
  }
}

/** The operation was cancelled through an `AbortSignal`. `cause` holds the signal's reason. */
export class AbortedError extends KafkaError {
  constructor(message: string, options: KafkaErrorOptions = {}) {
    super(`${message}${describeContext(options)}`, 'ERR_ABORTED', false, options);
  }
}

/** The producer's buffer (`bufferMemory`) stayed full for `maxBlockMs`; the record was not accepted. */
export class BufferExhaustedError extends KafkaError {
  constructor(message: string, options: KafkaErrorOptions = {}) {
    super(`${message}${describeContext(options)}`, 'ERR_BUFFER_EXHAUSTED', true, options);
  }
}

/**
 * Something failed inside Vltava that no Kafka rule explains: a bug, or a value thrown by code Vltava called that
 * is not an `Error` it knows. Not retriable. `cause` holds what was thrown; please report it with the stack.
 */
export class InternalError extends KafkaError {
  constructor(message: string, options: KafkaErrorOptions = {}) {
    super(`${message}${describeContext(options)}`, 'ERR_INTERNAL', false, options);
  }
}

/**
 * The error to raise for anything caught: a {@link KafkaError} as it is; anything else becomes a non-retriable
 * {@link InternalError} that names what was being done (`during`) and keeps the original as `cause`. Layers that
 * know better (a socket error is a `ConnectionError`, a throwing serializer is bad input) map those cases first
 * and call this for the rest.
 */
export function toKafkaError(error: unknown, context: ErrorContext & { readonly during?: string } = {}): KafkaError {
  if (isKafkaError(error)) return error;
  const detail = error instanceof Error ? error.message : String(error);
  const { during: doing, ...where } = context;
  return new InternalError(
    `Unexpected failure${doing === undefined ? '' : ` while ${doing}`}: ${detail}. This is a bug in Vltava or in a ` +
      'callback it called; please report it with the stack of the cause',
    { ...where, cause: error },
  );
}
