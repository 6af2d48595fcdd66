import { isIP, type Socket, connect as tcpConnect } from 'node:net';
import { type ConnectionOptions as NodeTlsOptions, connect as tlsConnect } from 'node:tls';
import { diagnosticChannels } from '../diagnostics/channels.js';
import type { AuthenticatePayload, BrokerEndpoint, ConnectPayload } from '../diagnostics/payloads.js';
import {
  AuthenticationError,
  ClientClosedError,
  ConnectionError,
  ProtocolError,
  RequestTimeoutError,
  TlsError,
  toKafkaError,
  UnsupportedVersionError,
} from '../errors/client-errors.js';
import { ErrorCodes } from '../errors/error-codes.generated.js';
import { createBrokerError, errorName } from '../errors/index.js';
import { isKafkaError, type KafkaError } from '../errors/kafka-error.js';
import type { ApiDefinition } from '../protocol/messages/api-definition.js';
import {
  ApiVersions,
  type ApiVersionsRequest,
  type ApiVersionsResponse,
} from '../protocol/messages/generated/api-versions.js';
import { SaslAuthenticate } from '../protocol/messages/generated/sasl-authenticate.js';
import { SaslHandshake } from '../protocol/messages/generated/sasl-handshake.js';
import { Reader } from '../protocol/primitives/reader.js';
import { Writer } from '../protocol/primitives/writer.js';
import { type Logger, silentLogger } from '../utils/logger.js';
import { ConnectionStats } from './connection-stats.js';
import { FrameDecoder } from './frame-decoder.js';
import {
  type ListenerMismatch,
  listenerMismatchHint,
  looksLikeTlsRecord,
  plaintextToTlsError,
} from './listener-mismatch.js';
import { clientThrottles } from './quota-throttle.js';
import { RequestTrace } from './request-trace.js';
import type { SaslExchangeContext, SaslMechanism } from './sasl/sasl-mechanism.js';
import { isTlsVerificationError, tlsFailureAdvice } from './tls-errors.js';

/** The version range a broker supports for one API. */
export interface VersionRange {
  readonly minVersion: number;
  readonly maxVersion: number;
}

/** Settings of one connection. The cluster layer fills them from the client configuration. */
export interface ConnectionOptions {
  /** Broker host. */
  readonly host: string;
  /** Broker port. */
  readonly port: number;
  /** Broker node id, when known (bootstrap connections do not know it). Used in messages. */
  readonly nodeId?: number;
  /** Java: client.id. Sent in every request header. */
  readonly clientId: string;
  /** The owning client object's name (`producer-1`), in diagnostics payloads; `client` when not given. */
  readonly clientInstance?: string;
  /** Sent in ApiVersions v3+ (KIP-511) so brokers can report which clients connect. */
  readonly clientSoftwareName?: string;
  /** Sent in ApiVersions v3+ (KIP-511). */
  readonly clientSoftwareVersion?: string;
  /** TLS: Node's `tls.connect` options. Certificate and hostname verification stay on unless explicitly disabled. */
  readonly tls?: NodeTlsOptions;
  /** SASL mechanism to authenticate with after ApiVersions. */
  readonly sasl?: SaslMechanism;
  /** Java: socket.connection.setup.timeout.ms. Time allowed for TCP+TLS setup, ApiVersions and SASL. */
  readonly connectTimeoutMs: number;
  /** Java: request.timeout.ms. Default time a request may wait for its response. */
  readonly requestTimeoutMs: number;
  /** Java: max.in.flight.requests.per.connection. Requests written but not yet answered; further ones queue. */
  readonly maxInFlightRequests: number;
  /** librdkafka: receive.message.max.bytes. Largest response frame accepted. */
  readonly receiveMessageMaxBytes: number;
  /** Where connection events are logged. */
  readonly logger?: Logger;
  /** Replaces socket creation; for fault-injection tests. */
  readonly socketFactory?: (options: ConnectionOptions) => Socket;
  /** Where the connection counts requests, bytes and throttling; shared by the successive connections of a lane. */
  readonly stats?: ConnectionStats;
}

/** Per-request options. */
export interface RequestOptions {
  /** API version to use; default: the highest both sides support (capped by `maxVersion`). */
  readonly version?: number;
  /** Highest version acceptable to the caller (some behaviours need an older version). */
  readonly maxVersion?: number;
  /** Overrides `requestTimeoutMs` for this request (Fetch adds its max wait, JoinGroup its rebalance timeout). */
  readonly timeoutMs?: number;
  /** `false` for acks=0 Produce: the promise resolves once the bytes are handed to the socket. */
  readonly expectResponse?: boolean;
}

type ConnectionState = 'new' | 'connecting' | 'ready' | 'closed';

interface QueuedRequest {
  readonly apiKey: number;
  readonly apiName: string;
  readonly apiVersion: number;
  readonly chunks: Buffer[];
  readonly correlationId: number;
  readonly expectResponse: boolean;
  readonly responseHeaderVersion: number;
  readonly decode: ((reader: Reader) => unknown) | undefined;
  readonly resolve: (value: unknown) => void;
  readonly reject: (error: KafkaError) => void;
  timer: NodeJS.Timeout | undefined;
  written: boolean;
  /** The `vltava:request` payload, when the channel had a subscriber as the request was queued. */
  readonly trace: RequestTrace | undefined;
}

/** The `connectionId` of the next connection, in diagnostics payloads. */
let nextConnectionId = 1;

/** Requests of these APIs may be sent while a connection is still authenticating or re-authenticating. */
const HANDSHAKE_APIS = new Set([ApiVersions.apiKey, SaslHandshake.apiKey, SaslAuthenticate.apiKey]);

/**
 * One TCP (or TLS) connection to one broker.
 *
 * - Frames requests with their size and header, and matches responses by correlation id. Kafka answers the
 *   requests of a connection in order, so in-flight requests are a FIFO queue; a response for anything but the
 *   head is a protocol violation that closes the connection.
 * - Pipelines up to `maxInFlightRequests`; more requests wait in a queue. Writes issued in the same tick go out in
 *   one `cork`/`uncork` batch, and the queue stops while the socket reports backpressure.
 * - Every request has a timeout. A request that times out after it was written closes the connection, as in the
 *   Java client: its response could still arrive and would desynchronise the stream.
 * - `connect()` performs TCP/TLS setup, ApiVersions (with the downgrade KIP-511 describes) and SASL; SASL sessions
 *   with a lifetime are re-authenticated before they expire (KIP-368) without failing requests: new requests wait
 *   while the exchange runs, those already in flight complete first.
 * - `close()` and any socket failure reject every pending request with a typed error.
 * - Quotas (KIP-219): a response with a throttle time, in a version that leaves throttling to the client, holds
 *   every further request until the time has passed (the broker has muted the connection meanwhile). Time spent so
 *   held does not count against the timeout of a request not yet written.
 * - Diagnostics: connection setup, SASL and every request are traced on `vltava:connection:connect`,
 *   `vltava:connection:authenticate` and `vltava:request` (see `diagnostics/channels.ts`) when those channels
 *   have subscribers; closing and throttling are published on `vltava:connection:close` and
 *   `vltava:connection:throttle`. Counters go to {@link stats}.
 *
 * A connection is used once: after it closes, the owner creates a new one (see `BrokerConnection`).
 */
export class Connection {
  readonly host: string;
  readonly port: number;
  readonly nodeId: number | undefined;
  /** Human-readable name for messages: `1@127.0.0.1:9092` or `127.0.0.1:9092`. */
  readonly label: string;
  /** Requests, bytes and throttling of this connection (and of the lane's earlier ones, when shared). */
  readonly stats: ConnectionStats;

  private readonly options: ConnectionOptions;
  /** Who and where, as every diagnostics payload of this connection carries it. */
  private readonly endpoint: BrokerEndpoint;
  /** `Date.now()` until which requests are held for a quota (KIP-219); 0 when not throttled. */
  private throttledUntil = 0;
  private throttleTimer: NodeJS.Timeout | undefined;
  /** The session lifetime the last SASL exchange got, for the `vltava:connection:authenticate` payload. */
  private sessionLifetimeMs = 0;
  private readonly logger: Logger;
  private socket: Socket | undefined;
  private state: ConnectionState = 'new';
  private connectPromise: Promise<void> | undefined;
  private closeError: KafkaError | undefined;
  private readonly closeListeners: Array<(error: KafkaError | undefined) => void> = [];

  private readonly decoder: FrameDecoder;
  private nextCorrelationId = 1;
  /** Written and awaiting a response, oldest first. `inFlightHead` avoids O(n) shifts. */
  private inFlight: QueuedRequest[] = [];
  private inFlightHead = 0;
  /** Not yet written. */
  private queue: QueuedRequest[] = [];
  /** Handshake requests (ApiVersions, SASL) not yet written: they go before {@link queue}, even while it waits. */
  private handshakeQueue: QueuedRequest[] = [];
  private queueHead = 0;
  private flushScheduled = false;
  private socketBlocked = false;
  /** Set while (re-)authentication runs: only handshake APIs are written. */
  private authenticating = false;
  private reauthTimer: NodeJS.Timeout | undefined;
  private brokerVersions: ReadonlyMap<number, VersionRange> = new Map();
  private features: ReadonlyMap<string, number> = new Map();
  private authenticationCount = 0;
  private readonly clientIdBytes: Buffer;
  /** A response to anything but ApiVersions and SASL arrived: the listener accepts this client's requests. */
  private servedRequest = false;
  /** Plaintext connections: the first bytes received, until there are 3 to tell a TLS record from a response. */
  private sniffed: Buffer | undefined;
  private mismatch: ListenerMismatch | undefined;

  constructor(options: ConnectionOptions) {
    this.options = options;
    this.host = options.host;
    this.port = options.port;
    this.nodeId = options.nodeId;
    this.label =
      options.nodeId === undefined
        ? `${options.host}:${options.port}`
        : `${options.nodeId}@${options.host}:${options.port}`;
    this.logger = options.logger ?? silentLogger;
    this.stats = options.stats ?? new ConnectionStats();
    this.endpoint = {
      clientId: options.clientId,
      clientInstance: options.clientInstance ?? 'client',
      connectionId: nextConnectionId++,
      host: options.host,
      port: options.port,
      nodeId: options.nodeId,
      broker: this.label,
    };
    this.clientIdBytes = Buffer.from(options.clientId, 'utf8');
    this.sniffed = options.tls === undefined ? Buffer.alloc(0) : undefined;
    this.decoder = new FrameDecoder(options.receiveMessageMaxBytes, (frame) => this.onFrame(frame));
  }

  /** True once connected, negotiated and authenticated, until closed. */
  get ready(): boolean {
    return this.state === 'ready';
  }

  /** True once closed (by `close()` or a failure). */
  get closed(): boolean {
    return this.state === 'closed';
  }

  /** Requests written and not yet answered. */
  get inFlightCount(): number {
    return this.inFlight.length - this.inFlightHead;
  }

  /** Requests waiting to be written. */
  get queuedCount(): number {
    return this.queue.length - this.queueHead;
  }

  /**
   * The listener mismatch this connection's failure suggests (see `listener-mismatch.ts`), or undefined. One
   * observation is not proof; `BrokerConnection` confirms it with the next attempt.
   */
  get listenerMismatch(): ListenerMismatch | undefined {
    return this.mismatch;
  }

  /** SASL authentications completed on this connection: 1 after connect, +1 per re-authentication (KIP-368). */
  get authentications(): number {
    return this.authenticationCount;
  }

  /** The broker's supported versions per API key, as ApiVersions reported them. */
  get apiVersions(): ReadonlyMap<number, VersionRange> {
    return this.brokerVersions;
  }

  /**
   * Cluster-wide finalized feature levels (`transaction.version`, `metadata.version`, ...) by name, as ApiVersions
   * v3+ reported them (their max version level); empty when the broker reported none.
   */
  get finalizedFeatures(): ReadonlyMap<string, number> {
    return this.features;
  }

  /**
   * Opens the socket, negotiates versions and authenticates. Idempotent: concurrent calls share one attempt.
   * Rejects with `ConnectionError` (retriable), `TlsError` or `AuthenticationError` (not retriable).
   */
  connect(): Promise<void> {
    if (this.connectPromise === undefined) {
      const channel = diagnosticChannels.connect;
      this.connectPromise = channel.hasSubscribers
        ? channel.tracePromise(() => this.establish(), this.connectPayload())
        : this.establish();
    }
    return this.connectPromise;
  }

  /**
   * True while a quota holds this connection's requests (KIP-219): a response asked the client to wait, and the
   * time has not passed yet.
   */
  get throttled(): boolean {
    return this.throttledUntil !== 0 && Date.now() < this.throttledUntil;
  }

  /** Registers a listener called once when the connection closes, with the error that closed it if any. */
  onClose(listener: (error: KafkaError | undefined) => void): void {
    if (this.state === 'closed') listener(this.closeError);
    else this.closeListeners.push(listener);
  }

  /**
   * The version to use for an API: the highest in both our range and the broker's, capped by `maxVersion`.
   * Throws `UnsupportedVersionError` when the ranges do not meet.
   */
  versionFor(
    api: Pick<ApiDefinition, 'name' | 'apiKey' | 'minVersion' | 'maxStableVersion'>,
    maxVersion?: number,
  ): number {
    const broker = this.brokerVersions.get(api.apiKey);
    const ours = Math.min(api.maxStableVersion, maxVersion ?? api.maxStableVersion);
    if (broker === undefined) {
      throw new UnsupportedVersionError(`Broker ${this.label} does not support ${api.name} (API key ${api.apiKey})`, {
        broker: this.label,
        api: api.name,
      });
    }
    const version = Math.min(ours, broker.maxVersion);
    if (version < Math.max(api.minVersion, broker.minVersion)) {
      throw new UnsupportedVersionError(
        `No common version of ${api.name}: the client speaks ${api.minVersion}-${ours}, broker ${this.label} ` +
          `speaks ${broker.minVersion}-${broker.maxVersion}. Upgrade the client or the broker.`,
        { broker: this.label, api: api.name },
      );
    }
    return version;
  }

  /**
   * Sends a request and resolves with its decoded response (or `undefined` for `expectResponse: false`).
   * Must be called on a ready connection; rejects with `ClientClosedError` or `ConnectionError` otherwise.
   */
  send<Req, Res>(api: ApiDefinition<Req, Res>, request: Req, options: RequestOptions = {}): Promise<Res> {
    if (this.state !== 'ready' && !(this.state === 'connecting' && HANDSHAKE_APIS.has(api.apiKey))) {
      return Promise.reject(this.notUsableError(api.name));
    }
    let version: number;
    try {
      version = options.version ?? this.versionFor(api, options.maxVersion);
    } catch (error) {
      return Promise.reject(error);
    }
    return this.enqueue(api, version, request, options);
  }

  /**
   * Closes the connection. Requests in flight or queued reject with `error`, or a `ClientClosedError`.
   * Safe to call more than once.
   */
  close(error?: KafkaError): void {
    if (this.state === 'closed') return;
    const wasReady = this.state === 'ready';
    this.state = 'closed';
    const reason = error ?? new ClientClosedError(`Connection to ${this.label} was closed`, { broker: this.label });
    this.closeError = error;
    if (this.reauthTimer !== undefined) clearTimeout(this.reauthTimer);
    if (this.throttleTimer !== undefined) clearTimeout(this.throttleTimer);
    this.stats.throttledUntil = 0;
    this.socket?.destroy();
    this.failAll(reason);
    if (diagnosticChannels.close.hasSubscribers) {
      diagnosticChannels.close.publish({ ...this.endpoint, error, wasReady });
    }
    for (const listener of this.closeListeners.splice(0)) listener(error);
  }

  // ---------------------------------------------------------------------------------------------------------------
  // Connection setup

  private connectPayload(): ConnectPayload {
    return { ...this.endpoint, tls: this.options.tls !== undefined, saslMechanism: this.options.sasl?.mechanism };
  }

  private async establish(): Promise<void> {
    if (this.state === 'closed') throw this.notUsableError('connect');
    this.state = 'connecting';
    const deadline = setTimeout(() => {
      this.close(
        new ConnectionError(`Connection setup to ${this.label} timed out after ${this.options.connectTimeoutMs} ms`, {
          broker: this.label,
        }),
      );
    }, this.options.connectTimeoutMs);
    try {
      await this.openSocket();
      await this.negotiateVersions();
      if (this.options.sasl !== undefined) await this.authenticate(this.options.sasl, false);
      if (this.state !== 'connecting') throw this.closeError ?? this.notUsableError('connect');
      this.state = 'ready';
      this.stats.connections++;
      this.logger.debug('connected', { broker: this.label });
    } catch (error) {
      this.stats.connectionFailures++;
      const failure = toKafkaError(error, { broker: this.label, during: 'connecting' });
      this.close(failure);
      throw failure;
    } finally {
      clearTimeout(deadline);
    }
  }

  private openSocket(): Promise<void> {
    return new Promise((resolve, reject) => {
      const { host, port, tls } = this.options;
      let socket: Socket;
      const secure = tls !== undefined;
      /** The TCP socket under TLS, when made here: its byte count tells a silent close from a TLS answer. */
      let tcp: Socket | undefined;
      let accepted = false;
      if (this.options.socketFactory !== undefined) {
        socket = this.options.socketFactory(this.options);
      } else if (secure) {
        tcp = tcpConnect({ host, port });
        tcp.once('connect', () => {
          accepted = true;
        });
        socket = tlsConnect({
          ...tls,
          host,
          port,
          socket: tcp,
          servername: tls.servername ?? (isIP(host) === 0 ? host : undefined),
        });
      } else {
        socket = tcpConnect({ host, port });
      }
      this.socket = socket;
      socket.setNoDelay(true);
      socket.setKeepAlive(true, 60_000);
      /** Accepted, then closed during the TLS handshake with nothing received: a TLS client on a plaintext port? */
      const closedSilently = (): boolean => {
        if (!accepted || tcp === undefined || tcp.bytesRead > 0) return false;
        this.mismatch = 'tls-to-plaintext';
        return true;
      };
      const silentCloseError = (cause: Error | undefined) =>
        new ConnectionError(
          `Connection to ${this.label} was closed during the TLS handshake: ` +
            listenerMismatchHint('tls-to-plaintext', `${host}:${port}`),
          { broker: this.label, cause },
        );
      const onConnect = () => {
        socket.off('error', onSetupError);
        socket.on('error', (error) => this.onSocketError(error));
        resolve();
      };
      const onSetupError = (error: Error) => {
        if (secure && isTlsVerificationError(error)) reject(this.tlsError(error));
        else if (secure && closedSilently()) reject(silentCloseError(error));
        else {
          reject(
            new ConnectionError(`Could not connect to ${this.label}: ${error.message}`, {
              broker: this.label,
              cause: error,
            }),
          );
        }
      };
      const onSetupClose = () => {
        reject(
          this.closeError ??
            (secure && closedSilently()
              ? silentCloseError(undefined)
              : new ConnectionError(`Connection to ${this.label} closed during setup`, { broker: this.label })),
        );
      };
      socket.once(secure ? 'secureConnect' : 'connect', () => {
        socket.off('close', onSetupClose);
        onConnect();
      });
      socket.once('error', onSetupError);
      socket.once('close', onSetupClose);
      socket.on('data', (chunk: Buffer) => this.onData(chunk));
      socket.on('close', () => this.onSocketClose());
      socket.on('drain', () => {
        this.socketBlocked = false;
        this.flush();
      });
    });
  }

  /**
   * A TLS failure as a {@link TlsError} that says which side refused what, and which setting fixes it (the OpenSSL
   * text is in `cause`).
   */
  private tlsError(error: Error): TlsError {
    const tls = this.options.tls;
    const clientCertificate = tls?.cert !== undefined || tls?.pfx !== undefined;
    const code = (error as { code?: unknown }).code;
    return new TlsError(
      `TLS with ${this.label} failed: ${tlsFailureAdvice(error, clientCertificate)}` +
        (typeof code === 'string' ? ` (${code})` : ''),
      { broker: this.label, cause: error },
    );
  }

  private async negotiateVersions(): Promise<void> {
    const request = {
      clientSoftwareName: this.options.clientSoftwareName ?? 'vltava',
      clientSoftwareVersion: this.options.clientSoftwareVersion ?? '0.0.0',
    };
    let response = await this.enqueue(API_VERSIONS_WITH_DOWNGRADE, ApiVersions.maxStableVersion, request, {});
    if (response.errorCode === ErrorCodes.UNSUPPORTED_VERSION) {
      // The broker does not know our ApiVersions version; it answered in v0 with its own range (KIP-511).
      const brokerRange = response.apiKeys.find((k) => k.apiKey === ApiVersions.apiKey);
      const version = Math.min(ApiVersions.maxVersion, brokerRange?.maxVersion ?? 0);
      response = await this.enqueue(API_VERSIONS_WITH_DOWNGRADE, version, request, {});
    }
    if (response.errorCode !== ErrorCodes.NONE) {
      throw createBrokerError(response.errorCode, { broker: this.label, api: 'ApiVersions' });
    }
    this.brokerVersions = toVersionMap(response);
    this.features = toFeatureMap(response);
  }

  /** One SASL exchange, traced on `vltava:connection:authenticate` when that channel has subscribers. */
  private authenticate(mechanism: SaslMechanism, reauthentication: boolean): Promise<void> {
    const channel = diagnosticChannels.authenticate;
    if (!channel.hasSubscribers) return this.runAuthentication(mechanism);
    const payload: AuthenticatePayload = {
      ...this.endpoint,
      saslMechanism: mechanism.mechanism,
      reauthentication,
      sessionLifetimeMs: 0,
    };
    return channel.tracePromise(async () => {
      await this.runAuthentication(mechanism);
      payload.sessionLifetimeMs = this.sessionLifetimeMs;
    }, payload);
  }

  private async runAuthentication(mechanism: SaslMechanism): Promise<void> {
    this.authenticating = true;
    try {
      const handshake = await this.enqueue(
        SaslHandshake,
        this.versionFor(SaslHandshake, 1),
        {
          mechanism: mechanism.mechanism,
        },
        {},
      );
      if (handshake.errorCode !== ErrorCodes.NONE) {
        const code = { kafkaErrorCode: handshake.errorCode, kafkaErrorName: errorName(handshake.errorCode) };
        if (handshake.mechanisms.length === 0) {
          // A PLAINTEXT or SSL listener answers SaslHandshake with ILLEGAL_SASL_STATE and no mechanism.
          throw new AuthenticationError(
            `The listener at ${this.host}:${this.port} does not use SASL (it is PLAINTEXT or SSL): remove sasl, or ` +
              "use a SASL_PLAINTEXT or SASL_SSL listener's port",
            { broker: this.label, ...code },
          );
        }
        throw new AuthenticationError(
          `Broker ${this.label} does not enable SASL mechanism ${mechanism.mechanism}; it enables ` +
            `${handshake.mechanisms.join(', ')}. Change sasl.mechanism or the broker's sasl.enabled.mechanisms.`,
          { broker: this.label, ...code },
        );
      }
      const authenticateVersion = this.versionFor(SaslAuthenticate);
      let sessionLifetimeMs = 0n;
      await this.runMechanism(mechanism, {
        host: this.host,
        port: this.port,
        exchange: async (authBytes) => {
          const reply = await this.enqueue(SaslAuthenticate, authenticateVersion, { authBytes }, {});
          if (reply.errorCode !== ErrorCodes.NONE) {
            throw new AuthenticationError(
              `SASL ${mechanism.mechanism} authentication with ${this.label} failed: ` +
                `${reply.errorMessage ?? 'no reason given'}. Check the credentials.`,
              { broker: this.label, kafkaErrorCode: reply.errorCode, kafkaErrorName: 'SASL_AUTHENTICATION_FAILED' },
            );
          }
          sessionLifetimeMs = reply.sessionLifetimeMs;
          return reply.authBytes;
        },
      });
      this.authenticationCount++;
      this.sessionLifetimeMs = Number(sessionLifetimeMs);
      this.scheduleReauthentication(mechanism, this.sessionLifetimeMs);
    } finally {
      this.authenticating = false;
    }
    this.flush();
  }

  /**
   * Runs a SASL mechanism's exchange. What a mechanism throws that is not a Kafka error (a token provider that
   * failed, a malformed server message) is an `AuthenticationError` for this broker, not a retriable network error.
   */
  private async runMechanism(mechanism: SaslMechanism, context: SaslExchangeContext): Promise<void> {
    try {
      await mechanism.authenticate(context);
    } catch (error) {
      if (isKafkaError(error)) throw error;
      throw new AuthenticationError(
        `SASL ${mechanism.mechanism} authentication with ${this.label} failed in the client: ` +
          `${error instanceof Error ? error.message : String(error)}`,
        { broker: this.label, cause: error },
      );
    }
  }

  /**
   * KIP-368: the broker closes a connection whose session outlives `connections.max.reauth.ms`. Re-authenticate
   * at a random point between 85% and 95% of the lifetime, as the Java client does.
   */
  private scheduleReauthentication(mechanism: SaslMechanism, lifetimeMs: number): void {
    if (!(lifetimeMs > 0)) return;
    const delay = Math.max(0, Math.floor(lifetimeMs * (0.85 + 0.1 * Math.random())));
    this.reauthTimer = setTimeout(() => {
      this.reauthTimer = undefined;
      void this.reauthenticate(mechanism);
    }, delay);
    this.reauthTimer.unref();
  }

  private async reauthenticate(mechanism: SaslMechanism): Promise<void> {
    if (this.state !== 'ready') return;
    this.authenticating = true; // new requests queue from here on
    try {
      await this.drainInFlight();
      if (this.state !== 'ready') return;
      this.logger.debug('re-authenticating', { broker: this.label });
      await this.authenticate(mechanism, true);
    } catch (error) {
      this.close(toKafkaError(error, { broker: this.label, during: 're-authenticating' }));
    }
  }

  /** Resolves when no request is in flight (or the connection closed). */
  private drainInFlight(): Promise<void> {
    if (this.inFlightCount === 0) return Promise.resolve();
    return new Promise((resolve) => {
      const check = () => {
        if (this.inFlightCount === 0 || this.state === 'closed') resolve();
        else this.drainWaiters.push(check);
      };
      this.drainWaiters.push(check);
    });
  }

  private drainWaiters: Array<() => void> = [];

  // ---------------------------------------------------------------------------------------------------------------
  // Request path

  /**
   * Encodes a request and queues it; traced on `vltava:request` when that channel has subscribers (a request that
   * cannot be encoded never reaches the wire and is not traced).
   */
  private enqueue<Req, Res>(
    api: ApiDefinition<Req, Res>,
    version: number,
    request: Req,
    options: RequestOptions,
  ): Promise<Res> {
    const correlationId = this.nextCorrelationId;
    this.nextCorrelationId = correlationId === 0x7fffffff ? 1 : correlationId + 1;
    let chunks: Buffer[];
    try {
      chunks = this.encode(api, version, correlationId, request);
    } catch (error) {
      return Promise.reject(toKafkaError(error, { broker: this.label, api: api.name, during: 'encoding a request' }));
    }
    const channel = diagnosticChannels.request;
    if (!channel.hasSubscribers) return this.queueRequest(api, version, correlationId, chunks, options, undefined);
    const expectResponse = options.expectResponse ?? true;
    const trace = new RequestTrace(this.endpoint, api, version, correlationId, chunks, expectResponse);
    return channel.tracePromise(
      () => this.queueRequest(api, version, correlationId, chunks, options, trace),
      trace,
    ) as Promise<Res>;
  }

  private queueRequest<Req, Res>(
    api: ApiDefinition<Req, Res>,
    version: number,
    correlationId: number,
    chunks: Buffer[],
    options: RequestOptions,
    trace: RequestTrace | undefined,
  ): Promise<Res> {
    return new Promise<Res>((resolve, reject) => {
      const expectResponse = options.expectResponse ?? true;
      const entry: QueuedRequest = {
        apiKey: api.apiKey,
        apiName: api.name,
        apiVersion: version,
        chunks,
        correlationId,
        expectResponse,
        responseHeaderVersion: api.responseHeaderVersion(version),
        decode: expectResponse ? (reader) => api.decodeResponse(reader, version) : undefined,
        resolve: resolve as (value: unknown) => void,
        reject:
          trace === undefined
            ? reject
            : (error) => {
                trace.completed(0);
                reject(error);
              },
        timer: undefined,
        written: false,
        trace,
      };
      const timeoutMs = options.timeoutMs ?? this.options.requestTimeoutMs;
      entry.timer = setTimeout(() => this.onTimeout(entry, timeoutMs), timeoutMs);
      if (this.authenticating || this.state === 'connecting') {
        if (HANDSHAKE_APIS.has(api.apiKey)) this.handshakeQueue.push(entry);
        else this.queue.push(entry);
      } else {
        this.queue.push(entry);
      }
      this.scheduleFlush();
    });
  }

  private encode<Req>(
    api: ApiDefinition<Req, unknown>,
    version: number,
    correlationId: number,
    request: Req,
  ): Buffer[] {
    const writer = new Writer(256);
    const sizeSlot = writer.reserveInt32();
    writer.writeInt16(api.apiKey);
    writer.writeInt16(version);
    writer.writeInt32(correlationId);
    const headerVersion = api.requestHeaderVersion(version);
    if (headerVersion >= 1) {
      writer.writeInt16(this.clientIdBytes.length);
      writer.writeRaw(this.clientIdBytes);
    }
    if (headerVersion >= 2) writer.writeUnsignedVarint(0); // no tagged fields
    api.encodeRequest(writer, version, request);
    writer.patchInt32(sizeSlot, writer.length - 4);
    return writer.toChunks();
  }

  private scheduleFlush(): void {
    if (this.flushScheduled) return;
    this.flushScheduled = true;
    process.nextTick(() => {
      this.flushScheduled = false;
      this.flush();
    });
  }

  /** Writes queued requests while the in-flight window, the socket and authentication allow. */
  private flush(): void {
    const socket = this.socket;
    if (socket === undefined || this.state === 'closed') return;
    let corked = false;
    const cork = () => {
      if (!corked) {
        socket.cork();
        corked = true;
      }
    };
    // Handshake requests first: during (re-)authentication nothing else may be written.
    while (this.handshakeQueue.length > 0 && !this.socketBlocked) {
      cork();
      this.write(socket, this.handshakeQueue.shift()!);
    }
    const held = this.throttledUntil !== 0 && this.holdForQuota();
    while (!this.authenticating && !held && this.queueHead < this.queue.length && !this.socketBlocked) {
      const entry = this.queue[this.queueHead]!;
      if (entry.expectResponse && this.inFlightCount >= this.options.maxInFlightRequests) break;
      this.queue[this.queueHead++] = undefined as unknown as QueuedRequest;
      cork();
      this.write(socket, entry);
    }
    if (this.queueHead === this.queue.length) {
      this.queue = [];
      this.queueHead = 0;
    } else if (this.queueHead > 1024 && this.queueHead * 2 > this.queue.length) {
      this.queue = this.queue.slice(this.queueHead);
      this.queueHead = 0;
    }
    if (corked) socket.uncork();
  }

  private write(socket: Socket, entry: QueuedRequest): void {
    entry.written = true;
    entry.trace?.written();
    let accepted = true;
    const last = entry.chunks.length - 1;
    let bytes = entry.chunks[last]!.length;
    for (let i = 0; i < last; i++) {
      const chunk = entry.chunks[i]!;
      bytes += chunk.length;
      accepted = socket.write(chunk) && accepted;
    }
    const stats = this.stats;
    stats.requests++;
    stats.bytesSent += bytes;
    if (entry.expectResponse) {
      accepted = socket.write(entry.chunks[last]!) && accepted;
      this.inFlight.push(entry);
    } else {
      accepted =
        socket.write(entry.chunks[last]!, (error) => {
          clearTimeout(entry.timer);
          if (error) entry.reject(this.brokenError(error));
          else {
            entry.trace?.completed(0);
            entry.resolve(undefined);
          }
        }) && accepted;
    }
    if (!accepted) this.socketBlocked = true;
  }

  /**
   * While a quota holds the connection (KIP-219), true, with a timer set to resume writing when it ends; false
   * once the time has passed.
   */
  private holdForQuota(): boolean {
    const wait = this.throttledUntil - Date.now();
    if (wait <= 0) {
      this.throttledUntil = 0;
      this.stats.throttledUntil = 0;
      return false;
    }
    if (this.throttleTimer === undefined) {
      this.throttleTimer = setTimeout(() => {
        this.throttleTimer = undefined;
        this.flush();
      }, wait);
    }
    return true;
  }

  /**
   * A response carried a throttle time: count it, tell the channels, and when the response's version leaves
   * throttling to the client (KIP-219), hold further requests until it has passed.
   */
  private onThrottle(entry: QueuedRequest, throttleTimeMs: number): void {
    this.stats.throttled(entry.apiName, throttleTimeMs);
    const clientThrottled = clientThrottles(entry.apiName, entry.apiVersion);
    const now = Date.now();
    let until = now;
    if (clientThrottled) {
      until = now + throttleTimeMs;
      if (until > this.throttledUntil) {
        this.throttledUntil = until;
        this.stats.throttledUntil = until;
        if (this.throttleTimer !== undefined) {
          clearTimeout(this.throttleTimer);
          this.throttleTimer = undefined;
        }
      }
    }
    const trace = entry.trace;
    if (trace !== undefined) {
      trace.throttleTimeMs = throttleTimeMs;
      trace.clientThrottled = clientThrottled;
    }
    if (diagnosticChannels.throttle.hasSubscribers) {
      diagnosticChannels.throttle.publish({
        ...this.endpoint,
        apiName: entry.apiName,
        apiVersion: entry.apiVersion,
        throttleTimeMs,
        clientThrottled,
        until,
      });
    }
    this.logger.debug('throttled by a quota', {
      broker: this.label,
      api: entry.apiName,
      throttleTimeMs,
      clientThrottled,
    });
  }

  private onTimeout(entry: QueuedRequest, timeoutMs: number): void {
    entry.timer = undefined;
    if (!entry.written && this.throttled) {
      // Held by a quota: the time the broker made the connection wait does not count against this request.
      entry.timer = setTimeout(() => this.onTimeout(entry, timeoutMs), this.throttledUntil - Date.now() + timeoutMs);
      return;
    }
    const error = new RequestTimeoutError(
      `${entry.apiName} request to ${this.label} got no response within ${timeoutMs} ms`,
      { broker: this.label, api: entry.apiName },
    );
    if (entry.written) {
      // A late response would arrive out of step; close like the Java client does. Everything pending fails with
      // a retriable ConnectionError, this request with the timeout.
      entry.reject(error);
      this.removeInFlight(entry);
      this.close(new ConnectionError(`Closed after a request timed out`, { broker: this.label, cause: error }));
      return;
    }
    const index = this.queue.indexOf(entry, this.queueHead);
    if (index >= 0) this.queue.splice(index, 1);
    const handshakeIndex = this.handshakeQueue.indexOf(entry);
    if (handshakeIndex >= 0) this.handshakeQueue.splice(handshakeIndex, 1);
    entry.reject(error);
  }

  private removeInFlight(entry: QueuedRequest): void {
    const index = this.inFlight.indexOf(entry, this.inFlightHead);
    if (index >= 0) this.inFlight.splice(index, 1);
  }

  // ---------------------------------------------------------------------------------------------------------------
  // Response path

  private onData(chunk: Buffer): void {
    if (this.sniffed !== undefined) {
      // A plaintext connection's first bytes: a TLS record here means the port speaks TLS.
      const head = this.sniffed.length === 0 ? chunk : Buffer.concat([this.sniffed, chunk]);
      if (head.length < 3) {
        this.sniffed = head;
        return;
      }
      this.sniffed = undefined;
      if (looksLikeTlsRecord(head)) {
        this.close(plaintextToTlsError(`${this.host}:${this.port}`, this.label));
        return;
      }
      chunk = head;
    }
    try {
      this.decoder.push(chunk);
    } catch (error) {
      this.close(toKafkaError(error, { broker: this.label, during: 'reading a response' }));
    }
  }

  private onFrame(frame: Buffer): void {
    if (frame.length < 4) {
      throw new ProtocolError(`Response frame of ${frame.length} bytes from ${this.label} has no correlation id`);
    }
    const correlationId = frame.readInt32BE(0);
    const entry = this.inFlight[this.inFlightHead];
    if (entry === undefined || entry.correlationId !== correlationId) {
      throw new ProtocolError(
        `Response with correlation id ${correlationId} from ${this.label} does not match the oldest request ` +
          `in flight (${entry === undefined ? 'none' : entry.correlationId})`,
      );
    }
    this.inFlight[this.inFlightHead++] = undefined as unknown as QueuedRequest;
    if (this.inFlightHead === this.inFlight.length) {
      this.inFlight = [];
      this.inFlightHead = 0;
    }
    clearTimeout(entry.timer);
    if (!this.servedRequest && !HANDSHAKE_APIS.has(entry.apiKey)) this.servedRequest = true;
    const stats = this.stats;
    stats.responses++;
    stats.bytesReceived += frame.length + 4;
    entry.trace?.completed(frame.length + 4);
    try {
      const reader = new Reader(frame, 4);
      if (entry.responseHeaderVersion >= 1) reader.skipTaggedFields();
      const response = entry.decode!(reader);
      const throttleTimeMs = (response as { throttleTimeMs?: unknown }).throttleTimeMs;
      if (typeof throttleTimeMs === 'number' && throttleTimeMs > 0) this.onThrottle(entry, throttleTimeMs);
      entry.resolve(response);
    } catch (error) {
      entry.reject(
        new ProtocolError(`Could not decode the ${entry.apiName} response from ${this.label}`, {
          broker: this.label,
          api: entry.apiName,
          cause: error,
        }),
      );
    }
    if (this.drainWaiters.length > 0 && this.inFlightCount === 0) {
      for (const waiter of this.drainWaiters.splice(0)) waiter();
    }
    this.flush();
  }

  /**
   * A socket error after the TCP (and TLS) handshake. On a TLS connection, a TLS failure (an alert from the broker
   * included) is a {@link TlsError} until the connection is ready, not only until Node reports the handshake done:
   * under TLS 1.3 the broker's verdict on the client certificate arrives after that, while ApiVersions is in flight
   * (the Java client's post-handshake state treats it the same way). A broker answers nothing before its verdict, so
   * once a response has arrived no certificate alert can follow; a TLS failure then breaks the connection like any
   * other (a retriable `ConnectionError`, its cause the TLS error), and the reconnection surfaces a lasting one as a
   * `TlsError` during its own setup.
   */
  private onSocketError(error: Error): void {
    const tlsFailure = this.options.tls !== undefined && this.state === 'connecting' && isTlsVerificationError(error);
    this.close(tlsFailure ? this.tlsError(error) : this.connectionLostError(error));
  }

  private onSocketClose(): void {
    if (this.state !== 'closed') this.close(this.connectionLostError(undefined));
  }

  /**
   * The broker closed (or reset) a connection. When it did so at the first request after ApiVersions, on a
   * connection without SASL, the listener probably requires SASL: noted in {@link listenerMismatch}.
   */
  private connectionLostError(cause: Error | undefined): ConnectionError {
    const suspect =
      this.state === 'ready' && this.options.sasl === undefined && !this.servedRequest && this.awaitsRequest();
    if (suspect) this.mismatch = 'sasl-required';
    const what = cause === undefined ? 'was closed by the broker' : `failed: ${cause.message}`;
    const hint = suspect ? `: ${listenerMismatchHint('sasl-required', `${this.host}:${this.port}`)}` : '';
    return new ConnectionError(`Connection to ${this.label} ${what}${hint}`, { broker: this.label, cause });
  }

  /** True when a request other than ApiVersions or SASL awaits its response. */
  private awaitsRequest(): boolean {
    for (let i = this.inFlightHead; i < this.inFlight.length; i++) {
      if (!HANDSHAKE_APIS.has(this.inFlight[i]!.apiKey)) return true;
    }
    return false;
  }

  private brokenError(error: Error): ConnectionError {
    return new ConnectionError(`Connection to ${this.label} failed: ${error.message}`, {
      broker: this.label,
      cause: error,
    });
  }

  private notUsableError(what: string): KafkaError {
    return (
      this.closeError ??
      new ClientClosedError(`Cannot send ${what}: the connection to ${this.label} is ${this.state}`, {
        broker: this.label,
      })
    );
  }

  private failAll(error: KafkaError): void {
    const entries = [
      ...this.inFlight.slice(this.inFlightHead),
      ...this.handshakeQueue,
      ...this.queue.slice(this.queueHead),
    ];
    this.handshakeQueue = [];
    this.inFlight = [];
    this.inFlightHead = 0;
    this.queue = [];
    this.queueHead = 0;
    for (const entry of entries) {
      clearTimeout(entry.timer);
      entry.reject(error);
    }
    for (const waiter of this.drainWaiters.splice(0)) waiter();
  }
}

/**
 * ApiVersions whose response decoder follows KIP-511: a broker that does not know the requested version answers
 * UNSUPPORTED_VERSION in the v0 layout, whatever version was asked for.
 */
const API_VERSIONS_WITH_DOWNGRADE: ApiDefinition<ApiVersionsRequest, ApiVersionsResponse> = {
  ...ApiVersions,
  decodeResponse(reader, version) {
    if (
      version > 0 &&
      reader.remaining >= 2 &&
      reader.buffer.readInt16BE(reader.offset) === ErrorCodes.UNSUPPORTED_VERSION
    ) {
      return ApiVersions.decodeResponse(reader, 0);
    }
    return ApiVersions.decodeResponse(reader, version);
  },
};

function toVersionMap(response: ApiVersionsResponse): Map<number, VersionRange> {
  const map = new Map<number, VersionRange>();
  for (const key of response.apiKeys) map.set(key.apiKey, { minVersion: key.minVersion, maxVersion: key.maxVersion });
  return map;
}

function toFeatureMap(response: ApiVersionsResponse): Map<string, number> {
  const map = new Map<string, number>();
  if (response.finalizedFeaturesEpoch < 0n) return map;
  for (const feature of response.finalizedFeatures) map.set(feature.name, feature.maxVersionLevel);
  return map;
}
