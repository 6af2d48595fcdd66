import { BrokerError, type BrokerErrorOptions, type ErrorCodeInfo } from './broker-error.js';
import { brokerErrorFactories } from './broker-errors.generated.js';
import { InternalError } from './client-errors.js';
import { ERROR_CODES, ErrorCodes } from './error-codes.generated.js';
import type { KafkaError } from './kafka-error.js';

const infoByCode = new Map<number, ErrorCodeInfo>(ERROR_CODES.map((e) => [e.code, e]));

/** Kafka's name for an error code (`errorName(6) === 'NOT_LEADER_OR_FOLLOWER'`), or `UNKNOWN_ERROR_<n>`. */
export function errorName(code: number): string {
  return infoByCode.get(code)?.name ?? `UNKNOWN_ERROR_${code}`;
}

/** Kafka's table entry for an error code, or `undefined` for a code this client does not know. */
export function errorCodeInfo(code: number): ErrorCodeInfo | undefined {
  return infoByCode.get(code);
}

/**
 * The error for a code a broker returned: an instance of that code's class (`createBrokerError(6)` is a
 * `NotLeaderOrFollowerError`), carrying the context and the broker's message. A code this client does not know
 * (a newer broker) becomes a non-retriable {@link BrokerError} with code `UNKNOWN_ERROR_<n>`. Code 0 (NONE) is not
 * an error: it yields an {@link InternalError} describing the misuse (a bug in the caller).
 */
export function createBrokerError(errorCode: number, context: BrokerErrorOptions = {}): KafkaError {
  const factory = brokerErrorFactories.get(errorCode);
  if (factory !== undefined) return factory(context);
  if (errorCode === ErrorCodes.NONE) {
    return new InternalError('createBrokerError was called with error code 0 (NONE), which is not an error');
  }
  const name = `UNKNOWN_ERROR_${errorCode}`;
  return new BrokerError(
    {
      code: errorCode,
      name,
      retriable: false,
      message: `The broker returned error code ${errorCode}, which this client does not know (a newer broker?).`,
    },
    context,
  );
}
