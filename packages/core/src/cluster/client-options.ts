import type { Socket } from 'node:net';
import type { ConnectionOptions as TlsConnectionOptions } from 'node:tls';
import { ConfigError } from '../errors/client-errors.js';
import type { SaslMechanism } from '../network/sasl/sasl-mechanism.js';
import { createSaslMechanism, type SaslOptions } from '../network/sasl/sasl-options.js';
import { createConsoleLogger, type Logger, type LogLevel } from '../utils/logger.js';
import { type BrokerAddress, parseBrokerList } from './broker-address.js';

/** Where to find the cluster: a list, a comma-separated string, or a function returning either (re-called on
 * re-bootstrap, so it can consult service discovery). Java: bootstrap.servers. */
export type BootstrapBrokers =
  | readonly string[]
  | string
  | (() => readonly string[] | string | Promise<readonly string[] | string>);

/**
 * Settings shared by the producer, the consumer and the admin client. Every option names the Java client setting
 * it matches; defaults are the Java client's. The client checks them when it is created: an unknown key (even one
 * set to `undefined`) or a value of the wrong type or out of range is a `ConfigError` that names it and the option
 * meant (`Unknown producer option 'ackss'; did you mean 'acks'?`).
 */
export interface ClientOptions {
  /** Java: bootstrap.servers. Required. */
  readonly brokers: BootstrapBrokers;
  /** Java: client.id. Default `vltava`. Shows in broker logs, quotas and metrics. */
  readonly clientId?: string;
  /**
   * TLS. `true` for the system CAs, or Node's `tls.connect` options (`ca`, `cert`, `key`, `servername`, ...).
   * Certificate and hostname verification are on by default; turning them off needs an explicit
   * `rejectUnauthorized: false`. Java: security.protocol=SSL / SASL_SSL plus ssl.*.
   */
  readonly ssl?: boolean | TlsConnectionOptions;
  /** SASL. Java: security.protocol=SASL_* plus sasl.mechanism and sasl.jaas.config. */
  readonly sasl?: SaslOptions;
  /** Java: request.timeout.ms. Default 30000. */
  readonly requestTimeoutMs?: number;
  /** Java: socket.connection.setup.timeout.ms. TCP, TLS, ApiVersions and SASL together. Default 10000. */
  readonly connectionTimeoutMs?: number;
  /** Java: reconnect.backoff.ms. Default 50. */
  readonly reconnectBackoffMs?: number;
  /** Java: reconnect.backoff.max.ms. Default 1000. */
  readonly reconnectBackoffMaxMs?: number;
  /** Java: retry.backoff.ms. Default 100. */
  readonly retryBackoffMs?: number;
  /** Java: retry.backoff.max.ms. Default 1000. */
  readonly retryBackoffMaxMs?: number;
  /** Java: metadata.max.age.ms. Default 300000. */
  readonly metadataMaxAgeMs?: number;
  /** Java: max.in.flight.requests.per.connection. Default 5. */
  readonly maxInFlightRequestsPerConnection?: number;
  /** librdkafka: receive.message.max.bytes. Largest response accepted. Default 104857600 (100 MiB). */
  readonly receiveMessageMaxBytes?: number;
  /** Java: client.rack. Lets consumers fetch from a replica in the same rack (KIP-392). Default none. */
  readonly clientRack?: string;
  /** Where logs go. Default: warnings and errors to stderr. */
  readonly logger?: Logger;
  /** Level for the default logger. Default `warn` (or `VLTAVA_LOG_LEVEL`). */
  readonly logLevel?: LogLevel;
  /** Replaces socket creation, for tests that inject faults. */
  readonly socketFactory?: (options: { host: string; port: number }) => Socket;
}

/** {@link ClientOptions} with defaults applied and values checked. */
export interface ResolvedClientOptions {
  readonly bootstrap: () => Promise<BrokerAddress[]>;
  readonly clientId: string;
  readonly tls: TlsConnectionOptions | undefined;
  readonly sasl: SaslMechanism | undefined;
  readonly requestTimeoutMs: number;
  readonly connectionTimeoutMs: number;
  readonly reconnectBackoffMs: number;
  readonly reconnectBackoffMaxMs: number;
  readonly retryBackoffMs: number;
  readonly retryBackoffMaxMs: number;
  readonly metadataMaxAgeMs: number;
  readonly maxInFlightRequestsPerConnection: number;
  readonly receiveMessageMaxBytes: number;
  readonly clientRack: string | undefined;
  readonly logger: Logger;
  readonly socketFactory: ((options: { host: string; port: number }) => Socket) | undefined;
}

/** Applies defaults and validates. Throws `ConfigError` naming the option and the accepted values. */
export function resolveClientOptions(options: ClientOptions): ResolvedClientOptions {
  if (options === undefined || options === null || options.brokers === undefined) {
    throw new ConfigError('brokers is required: the bootstrap servers, e.g. { brokers: ["127.0.0.1:9092"] }');
  }
  const bootstrap = bootstrapResolver(options.brokers);
  return {
    bootstrap,
    clientId: options.clientId ?? 'vltava',
    tls: options.ssl === undefined || options.ssl === false ? undefined : options.ssl === true ? {} : options.ssl,
    sasl: options.sasl === undefined ? undefined : createSaslMechanism(options.sasl),
    requestTimeoutMs: positive('requestTimeoutMs', options.requestTimeoutMs, 30_000),
    connectionTimeoutMs: positive('connectionTimeoutMs', options.connectionTimeoutMs, 10_000),
    reconnectBackoffMs: nonNegative('reconnectBackoffMs', options.reconnectBackoffMs, 50),
    reconnectBackoffMaxMs: nonNegative('reconnectBackoffMaxMs', options.reconnectBackoffMaxMs, 1000),
    retryBackoffMs: nonNegative('retryBackoffMs', options.retryBackoffMs, 100),
    retryBackoffMaxMs: nonNegative('retryBackoffMaxMs', options.retryBackoffMaxMs, 1000),
    metadataMaxAgeMs: positive('metadataMaxAgeMs', options.metadataMaxAgeMs, 300_000),
    maxInFlightRequestsPerConnection: positive(
      'maxInFlightRequestsPerConnection',
      options.maxInFlightRequestsPerConnection,
      5,
    ),
    receiveMessageMaxBytes: positive('receiveMessageMaxBytes', options.receiveMessageMaxBytes, 104_857_600),
    clientRack: options.clientRack,
    logger: options.logger ?? createConsoleLogger(options.logLevel),
    socketFactory: options.socketFactory,
  };
}

/** Checks an optional positive integer option. */
export function positive(name: string, value: number | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  if (!Number.isInteger(value) || value <= 0) {
    throw new ConfigError(`${name} must be a positive integer, got ${String(value)}`);
  }
  return value;
}

/** Checks an optional non-negative integer option. */
export function nonNegative(name: string, value: number | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  if (!Number.isInteger(value) || value < 0) {
    throw new ConfigError(`${name} must be a non-negative integer, got ${String(value)}`);
  }
  return value;
}

function bootstrapResolver(brokers: BootstrapBrokers): () => Promise<BrokerAddress[]> {
  if (typeof brokers === 'function') {
    return async () => parseBrokerList(await brokers(), true);
  }
  const fixed = parseBrokerList(brokers);
  return async () => fixed;
}
