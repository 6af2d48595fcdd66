import type { KafkaCodeOptions } from './client-errors.js';
import { describeContext, type ErrorContext, KafkaError } from './kafka-error.js';

/** One Kafka protocol error code, as Kafka's `Errors` enum defines it (see `error-codes.generated.ts`). */
export interface ErrorCodeInfo {
  /** The numeric code (`6`). */
  readonly code: number;
  /** Kafka's name (`NOT_LEADER_OR_FOLLOWER`). */
  readonly name: string;
  /** Whether Kafka's exception for the code is a `RetriableException`. */
  readonly retriable: boolean;
  /** Whether Kafka's exception is an `InvalidMetadataException` (the client's metadata is out of date). */
  readonly invalidMetadata?: boolean;
  /** Kafka's default message for the code. */
  readonly message: string;
}

/** Where a broker error happened, and what the broker said. */
export interface BrokerErrorOptions extends ErrorContext {
  /** The error message the broker sent with the code (`ErrorMessage` fields), if any. */
  readonly serverMessage?: string | null;
  /** The underlying error, kept as the standard `cause`. */
  readonly cause?: unknown;
  /**
   * The client's own explanation, replacing Kafka's message for the code when the client raises the error itself
   * (a topic name it checked locally, as the Java client does, is an `InvalidTopicError` before any request).
   */
  readonly reason?: string;
}

/**
 * Kafka's message for the code, followed by the broker's own message when it sent one that says more; or the
 * client's `reason` when the client raised the error itself.
 */
export function brokerErrorMessage(info: ErrorCodeInfo, options: BrokerErrorOptions): string {
  if (options.reason !== undefined) return options.reason;
  const server = options.serverMessage;
  if (server === undefined || server === null || server === '' || server === info.message) return info.message;
  return `${info.message} Broker message: ${server}`;
}

/** The error options a generated class passes to a client error class it extends. */
export function brokerErrorFields(info: ErrorCodeInfo, options: BrokerErrorOptions): KafkaCodeOptions {
  return {
    ...options,
    code: info.name,
    kafkaErrorName: info.name,
    kafkaErrorCode: info.code,
    retriable: info.retriable,
  };
}

/**
 * An error code returned by a broker. Each code has its own subclass (`NotLeaderOrFollowerError`, ...; see
 * `broker-errors.generated.ts`), built by `createBrokerError`. `code` and `kafkaErrorName` are Kafka's name,
 * `retriable` follows Kafka (the exception is a `RetriableException`), and the message is Kafka's message for the
 * code, the broker's own message if any, and where it happened.
 *
 * A few codes extend a client error class instead, so that `instanceof` matches what users expect: the SASL
 * authentication codes extend `AuthenticationError`, UNSUPPORTED_VERSION is `UnsupportedVersionError`,
 * MESSAGE_TOO_LARGE and RECORD_LIST_TOO_LARGE extend `RecordTooLargeError`, CORRUPT_MESSAGE extends
 * `CorruptRecordError`.
 */
export class BrokerError extends KafkaError {
  /** The broker's own error message, when it sent one. */
  readonly serverMessage: string | undefined;

  constructor(info: ErrorCodeInfo, options: BrokerErrorOptions = {}) {
    super(`${brokerErrorMessage(info, options)}${describeContext(options)}`, info.name, info.retriable, {
      ...options,
      kafkaErrorName: info.name,
      kafkaErrorCode: info.code,
    });
    this.serverMessage = options.serverMessage ?? undefined;
  }
}
