import { ErrorCodes, isKafkaError, type KafkaError } from '../core.js';
import {
  KafkaJSConnectionError,
  KafkaJSError,
  KafkaJSNonRetriableError,
  KafkaJSNumberOfRetriesExceeded,
  KafkaJSOffsetOutOfRange,
  KafkaJSProtocolError,
  KafkaJSRequestTimeoutError,
  KafkaJSSASLAuthenticationError,
  KafkaJSServerDoesNotSupportApiKey,
} from './errors.js';

/** The protocol error codes KafkaJS names differently from Kafka 2.x and later. */
const KAFKAJS_TYPE_NAMES: ReadonlyMap<number, string> = new Map([
  [ErrorCodes.UNKNOWN_SERVER_ERROR, 'UNKNOWN'],
  [ErrorCodes.NOT_LEADER_OR_FOLLOWER, 'NOT_LEADER_FOR_PARTITION'],
  [ErrorCodes.COORDINATOR_LOAD_IN_PROGRESS, 'GROUP_LOAD_IN_PROGRESS'],
  [ErrorCodes.COORDINATOR_NOT_AVAILABLE, 'GROUP_COORDINATOR_NOT_AVAILABLE'],
  [ErrorCodes.NOT_COORDINATOR, 'NOT_COORDINATOR_FOR_GROUP'],
]);

/** The `type` KafkaJS gives a protocol error code: Kafka's name, or KafkaJS's older name for five codes. */
export function protocolErrorType(code: number, kafkaName: string): string {
  return KAFKAJS_TYPE_NAMES.get(code) ?? kafkaName;
}

const SASL_ERRORS = new Set(['SASL_AUTHENTICATION_FAILED', 'ILLEGAL_SASL_STATE', 'UNSUPPORTED_SASL_MECHANISM']);

/**
 * The KafkaJS error for an error of the engine: a broker's error code becomes a `KafkaJSProtocolError` (with
 * KafkaJS's `type` and the numeric `code`), connection and request timeouts, SASL and unsupported-version failures
 * their KafkaJS classes, bad arguments a `KafkaJSNonRetriableError`, anything else a `KafkaJSError` with the same
 * `retriable`. The engine's error stays reachable as `cause`. KafkaJS errors and errors thrown by application code
 * pass through unchanged.
 */
export function toKafkaJSError(error: unknown): Error {
  if (error instanceof KafkaJSError) return error;
  if (!isKafkaError(error)) return error instanceof Error ? error : new KafkaJSError(String(error));
  return fromKafkaError(error);
}

function fromKafkaError(error: KafkaError): KafkaJSError {
  const code = error.kafkaErrorCode;
  if (code !== undefined && !SASL_ERRORS.has(error.kafkaErrorName ?? '')) {
    const info = {
      type: protocolErrorType(code, error.kafkaErrorName ?? 'UNKNOWN'),
      code,
      retriable: error.retriable,
      message: error.message,
    };
    if (code === ErrorCodes.OFFSET_OUT_OF_RANGE) {
      return new KafkaJSOffsetOutOfRange(info, { topic: error.topic, partition: error.partition, cause: error });
    }
    return new KafkaJSProtocolError(info, { retriable: error.retriable, cause: error });
  }
  switch (error.code) {
    case 'ERR_CONNECTION':
      return new KafkaJSConnectionError(error.message, {
        broker: error.broker,
        code: socketCode(error),
        cause: error,
      });
    case 'ERR_REQUEST_TIMEOUT':
      return new KafkaJSRequestTimeoutError(error.message, { broker: error.broker, cause: error });
    case 'ERR_UNSUPPORTED_VERSION':
      return new KafkaJSServerDoesNotSupportApiKey(error.message, { apiName: error.api, cause: error });
    case 'ERR_CONFIG':
    case 'ERR_INVALID_ARGUMENT':
      return new KafkaJSNonRetriableError(error.message, { cause: error });
  }
  if (error.code.startsWith('ERR_AUTHENTICATION') || SASL_ERRORS.has(error.kafkaErrorName ?? '')) {
    return new KafkaJSSASLAuthenticationError(error.message, { cause: error });
  }
  return new KafkaJSError(error.message, { retriable: error.retriable, cause: error });
}

function socketCode(error: Error): string | undefined {
  let cause: unknown = error.cause;
  for (let depth = 0; cause !== undefined && depth < 5; depth++) {
    const code = (cause as { code?: unknown }).code;
    if (typeof code === 'string' && !code.startsWith('ERR_')) return code;
    if (typeof code === 'string' && code.startsWith('ERR_SOCKET')) return code;
    cause = (cause as { cause?: unknown }).cause;
  }
  return undefined;
}

/**
 * The error an operation that KafkaJS retries ends with once the engine gave up: a retriable failure becomes
 * `KafkaJSNumberOfRetriesExceeded` (the engine retried it within its budget: `retry.retries` and the time it
 * allows), with the KafkaJS error of the failure as `cause`; a non-retriable one is that KafkaJS error itself, as
 * KafkaJS's retrier passes those through.
 */
export function retriesExhausted(error: unknown, retryCount: number): Error {
  const mapped = toKafkaJSError(error);
  if (mapped instanceof KafkaJSError && mapped.retriable && isKafkaError(error)) {
    return new KafkaJSNumberOfRetriesExceeded(mapped, { retryCount, retryTime: 0, cause: mapped });
  }
  return mapped;
}
