import { INT32_MAX, type OptionsSchema, optionRules as r } from '../config/option-rules.js';
import { SASL_OPTION } from '../network/sasl/sasl-options-schema.js';
import type { ClientOptions } from './client-options.js';

/** Milliseconds for a timer: Node.js timers hold at most 2147483647 ms (a longer one fires at once). */
export const MILLISECONDS = r.integer(0, INT32_MAX);
/** Positive milliseconds for a timer. */
export const POSITIVE_MILLISECONDS = r.integer(1, INT32_MAX);
/** A positive Java `int`. */
export const POSITIVE_INT = r.integer(1, INT32_MAX);
/** A non-negative Java `int`. */
export const NON_NEGATIVE_INT = r.integer(0, INT32_MAX);

/** The `brokers` option; the addresses themselves are parsed when the client is created (or the function resolves). */
export const BROKERS_OPTION = r.required(
  r.describedAs(
    "'host:port' strings (an array, or one comma-separated string), or a function returning them (or a Promise " +
      "of them), e.g. ['127.0.0.1:9092']",
    r.anyOf(r.string(), r.arrayOf(r.string()), r.function()),
  ),
);

/** The keys of {@link ClientOptions}, shared by the producer, the consumer and the admin client. */
export const CLIENT_OPTIONS_SCHEMA = {
  brokers: BROKERS_OPTION,
  clientId: r.string(),
  ssl: r.anyOf(r.boolean, r.object("Node.js's tls.connect options (ca, cert, key, servername, ...)")),
  sasl: SASL_OPTION,
  requestTimeoutMs: POSITIVE_MILLISECONDS,
  connectionTimeoutMs: POSITIVE_MILLISECONDS,
  reconnectBackoffMs: MILLISECONDS,
  reconnectBackoffMaxMs: MILLISECONDS,
  retryBackoffMs: MILLISECONDS,
  retryBackoffMaxMs: MILLISECONDS,
  metadataMaxAgeMs: POSITIVE_MILLISECONDS,
  maxInFlightRequestsPerConnection: POSITIVE_INT,
  receiveMessageMaxBytes: POSITIVE_INT,
  clientRack: r.string(),
  logger: r.withMethods(
    'a Logger (an object with debug, info, warn and error methods)',
    'debug',
    'info',
    'warn',
    'error',
  ),
  logLevel: r.oneOf('debug', 'info', 'warn', 'error', 'silent'),
  socketFactory: r.function('({ host, port }) => net.Socket'),
} satisfies OptionsSchema<ClientOptions>;
