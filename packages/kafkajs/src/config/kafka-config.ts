import type * as net from 'node:net';
import type * as tls from 'node:tls';
import type { ClientOptions } from '../core.js';
import { KafkaJSNonRetriableError } from '../errors/errors.js';
import { type Logger, type logCreator, type logLevel, toCoreLogger } from '../logger/logger.js';
import { type ResolvedRetry, type RetryOptions, resolveRetry } from '../retry/retry.js';
import { type Mechanism, type SASLOptions, toSaslOptions } from './sasl.js';

/** A function returning the bootstrap brokers, called again whenever the client re-bootstraps. */
export type BrokersFunction = () => string[] | Promise<string[]>;

/** What a custom socket factory receives. */
export interface ISocketFactoryArgs {
  host: string;
  port: number;
  ssl: tls.ConnectionOptions;
  onConnect: () => void;
}

/** Creates the socket to a broker (plaintext connections; see the README). */
export type ISocketFactory = (args: ISocketFactoryArgs) => net.Socket;

/**
 * The configuration of a `Kafka` instance, as in KafkaJS. How each option maps onto the engine is in the package
 * README (for example `connectionTimeout` and `authenticationTimeout` add up to the engine's
 * `connectionTimeoutMs`, which covers TCP, TLS, ApiVersions and SASL together).
 */
export interface KafkaConfig {
  /** Bootstrap brokers, `host:port`. */
  brokers: string[] | BrokersFunction;
  /** TLS: `true` or `tls.connect` options. Certificates are verified unless `rejectUnauthorized: false`. */
  ssl?: tls.ConnectionOptions | boolean;
  /** SASL: a built-in mechanism's options, or a custom `{ mechanism, authenticationProvider }`. */
  sasl?: SASLOptions | Mechanism;
  /** Client id sent with every request. Default `kafkajs`. */
  clientId?: string;
  /** Time to establish the TCP (and TLS) connection, in ms. Default 1000. */
  connectionTimeout?: number;
  /** Time SASL authentication may take, in ms. Default 10000. */
  authenticationTimeout?: number;
  /** Accepted for compatibility: the engine re-authenticates as the broker's session lifetime requires (KIP-368). */
  reauthenticationThreshold?: number;
  /** Time a request may wait for its response, in ms. Default 30000. */
  requestTimeout?: number;
  /** Accepted for compatibility: requests always time out after `requestTimeout`. */
  enforceRequestTimeout?: boolean;
  /** How failed operations are retried; see {@link RetryOptions}. */
  retry?: RetryOptions;
  /** Custom socket creation (plaintext only). */
  socketFactory?: ISocketFactory;
  /** Log level. Default `logLevel.INFO`. */
  logLevel?: logLevel;
  /** Where log entries go. Default: JSON lines on the console. */
  logCreator?: logCreator;
  /**
   * Vltava: the rack of this client, for fetching from the closest replica (KIP-392) and rack-aware assignment.
   * Java: client.rack. The consumer's `rackId` sets it for one consumer.
   */
  clientRack?: string;
}

/** The parts of a `KafkaConfig` every client of a `Kafka` instance shares, checked once. */
export interface SharedConfig {
  readonly config: KafkaConfig;
  readonly logger: Logger;
  readonly retry: ResolvedRetry;
}

/** KafkaJS's default `clientId`. */
export const DEFAULT_CLIENT_ID = 'kafkajs';

/** Checks a `KafkaConfig` the way KafkaJS does before any connection. */
export function checkKafkaConfig(config: KafkaConfig): void {
  if (config === null || typeof config !== 'object') {
    throw new KafkaJSNonRetriableError('The Kafka constructor needs a configuration object with "brokers"');
  }
  const { brokers } = config;
  if (brokers === undefined || brokers === null) {
    throw new KafkaJSNonRetriableError('Failed to connect: expected brokers array and got nothing');
  }
  if (typeof brokers !== 'function' && !Array.isArray(brokers)) {
    throw new KafkaJSNonRetriableError(
      `Failed to connect: "config.brokers" must be an array or a function, got ${typeof brokers}`,
    );
  }
  if (Array.isArray(brokers) && brokers.length === 0) {
    throw new KafkaJSNonRetriableError('Failed to connect: expected brokers array and got nothing');
  }
}

/**
 * The engine's connection settings for one client of a `Kafka` instance. `retry` is the client's own (KafkaJS
 * merges the client's retry over the instance's); its first and longest waits become the engine's retry backoffs.
 */
export function toClientOptions(shared: SharedConfig, retry: ResolvedRetry, namespace: string): ClientOptions {
  const { config, logger } = shared;
  const connectionTimeout = config.connectionTimeout ?? 1000;
  const sasl = config.sasl === undefined ? undefined : toSaslOptions(config.sasl, logger);
  const authenticationTimeout = sasl === undefined ? 0 : (config.authenticationTimeout ?? 10_000);
  const tlsOptions = config.ssl === undefined || config.ssl === false ? undefined : config.ssl;
  const factory = config.socketFactory;
  return {
    brokers: config.brokers,
    clientId: config.clientId ?? DEFAULT_CLIENT_ID,
    ...(tlsOptions === undefined ? {} : { ssl: tlsOptions }),
    ...(sasl === undefined ? {} : { sasl }),
    connectionTimeoutMs: Math.max(1, Math.round(connectionTimeout + authenticationTimeout)),
    requestTimeoutMs: config.requestTimeout ?? 30_000,
    retryBackoffMs: retry.initialRetryTime,
    retryBackoffMaxMs: Math.max(retry.initialRetryTime, retry.maxRetryTime),
    ...(config.clientRack === undefined ? {} : { clientRack: config.clientRack }),
    logger: toCoreLogger(logger.namespace(namespace)),
    ...(factory === undefined
      ? {}
      : { socketFactory: ({ host, port }) => factory({ host, port, ssl: {}, onConnect: () => {} }) }),
  };
}

/** The client's retry options: its own over the instance's, with KafkaJS's defaults. */
export function clientRetry(shared: SharedConfig, own: RetryOptions | undefined): ResolvedRetry {
  return resolveRetry({ ...shared.config.retry, ...own });
}
