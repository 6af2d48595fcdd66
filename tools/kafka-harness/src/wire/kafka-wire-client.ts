// A deliberately tiny Kafka protocol client for the harness: enough ApiVersions, Metadata and SASL/PLAIN to tell
// that a broker is up and to prove it speaks Kafka. It must not depend on @vltava/core (core's tests depend on the
// harness), so it carries its own minimal reader and writer. Field layouts follow Apache Kafka's JSON message
// definitions (ApiVersions v0 and v3, Metadata v4, SaslHandshake v1, SaslAuthenticate v1).
import { connect as connectTcp, type Socket } from 'node:net';
import { type ConnectionOptions, connect as connectTls } from 'node:tls';
import { describeError, KafkaHarnessError } from '../errors.js';

/** API keys this client sends, and a few others tests like to look up by name. */
export const ApiKey = {
  Produce: 0,
  Fetch: 1,
  ListOffsets: 2,
  Metadata: 3,
  OffsetCommit: 8,
  OffsetFetch: 9,
  FindCoordinator: 10,
  JoinGroup: 11,
  Heartbeat: 12,
  SaslHandshake: 17,
  ApiVersions: 18,
  CreateTopics: 19,
  InitProducerId: 22,
  SaslAuthenticate: 36,
  ConsumerGroupHeartbeat: 68,
  ShareGroupHeartbeat: 76,
} as const;

/** Where to connect. */
export interface WireEndpoint {
  readonly host: string;
  readonly port: number;
  /** TLS options (`ca`, `cert`, `key`, `servername`...); plain TCP when absent. */
  readonly tls?: ConnectionOptions;
}

/** Options of a connection. */
export interface WireOptions {
  /** Time allowed to connect and for each request. Default 10000. */
  readonly timeoutMs?: number;
  /** Client id sent in request headers. Default `vltava-kafka-harness`. */
  readonly clientId?: string;
}

/** One API the broker supports, with its version range. */
export interface ApiVersionRange {
  readonly minVersion: number;
  readonly maxVersion: number;
}

/** The answer to ApiVersions. */
export interface ApiVersionsResult {
  /** The ApiVersions version the answer came in (3 normally, 0 if the broker refused 3). */
  readonly requestVersion: number;
  /** Supported APIs by API key. */
  readonly apis: ReadonlyMap<number, ApiVersionRange>;
  /** Features the broker supports (v3+). */
  readonly supportedFeatures: ReadonlyMap<string, ApiVersionRange>;
  /** Cluster-wide finalized feature levels (v3+), for example `group.version`. */
  readonly finalizedFeatures: ReadonlyMap<string, ApiVersionRange>;
}

/** A broker as Metadata lists it. */
export interface MetadataBroker {
  readonly nodeId: number;
  readonly host: string;
  readonly port: number;
  readonly rack: string | null;
}

/** A partition as Metadata describes it. */
export interface MetadataPartition {
  readonly errorCode: number;
  readonly partitionIndex: number;
  readonly leaderId: number;
  readonly replicaNodes: readonly number[];
  readonly isrNodes: readonly number[];
}

/** A topic as Metadata describes it. */
export interface MetadataTopic {
  readonly errorCode: number;
  readonly name: string;
  readonly isInternal: boolean;
  readonly partitions: readonly MetadataPartition[];
}

/** The answer to Metadata. */
export interface MetadataResult {
  readonly clusterId: string | null;
  readonly controllerId: number;
  readonly brokers: readonly MetadataBroker[];
  readonly topics: readonly MetadataTopic[];
}

/** The answer to a successful SASL authentication. */
export interface SaslResult {
  /** Session lifetime the broker granted (KIP-368), 0 when it does not re-authenticate. */
  readonly sessionLifetimeMs: bigint;
}

const UNSUPPORTED_VERSION = 35;

/** Big-endian reader over one response body. */
class Reader {
  private offset = 0;
  constructor(private readonly buffer: Buffer) {}

  /** Bytes read so far. */
  get position(): number {
    return this.offset;
  }

  private need(bytes: number): void {
    if (this.offset + bytes > this.buffer.length) {
      throw new KafkaHarnessError(
        'ERR_PROTOCOL',
        'Kafka response ended early; the broker answered an unexpected layout.',
      );
    }
  }
  int8(): number {
    this.need(1);
    return this.buffer.readInt8(this.offset++);
  }
  int16(): number {
    this.need(2);
    const value = this.buffer.readInt16BE(this.offset);
    this.offset += 2;
    return value;
  }
  int32(): number {
    this.need(4);
    const value = this.buffer.readInt32BE(this.offset);
    this.offset += 4;
    return value;
  }
  int64(): bigint {
    this.need(8);
    const value = this.buffer.readBigInt64BE(this.offset);
    this.offset += 8;
    return value;
  }
  uvarint(): number {
    let value = 0;
    for (let shift = 0; shift < 35; shift += 7) {
      this.need(1);
      const byte = this.buffer[this.offset++]!;
      value |= (byte & 0x7f) << shift;
      if ((byte & 0x80) === 0) return value >>> 0;
    }
    throw new KafkaHarnessError('ERR_PROTOCOL', 'Malformed unsigned varint in a Kafka response.');
  }
  private text(length: number): string {
    this.need(length);
    const value = this.buffer.toString('utf8', this.offset, this.offset + length);
    this.offset += length;
    return value;
  }
  nullableString(): string | null {
    const length = this.int16();
    return length < 0 ? null : this.text(length);
  }
  string(): string {
    return this.nullableString() ?? '';
  }
  compactNullableString(): string | null {
    const length = this.uvarint() - 1;
    return length < 0 ? null : this.text(length);
  }
  compactString(): string {
    return this.compactNullableString() ?? '';
  }
  bytes(): Buffer {
    const length = this.int32();
    if (length < 0) return Buffer.alloc(0);
    this.need(length);
    const value = this.buffer.subarray(this.offset, this.offset + length);
    this.offset += length;
    return value;
  }
  array<T>(readItem: () => T): T[] {
    const count = this.int32();
    const items: T[] = [];
    for (let i = 0; i < count; i++) items.push(readItem());
    return items;
  }
  compactArray<T>(readItem: () => T): T[] {
    const count = this.uvarint() - 1;
    const items: T[] = [];
    for (let i = 0; i < count; i++) items.push(readItem());
    return items;
  }
  /** Reads a tagged-field section, handing known tags to `onTag` and skipping the rest. */
  taggedFields(onTag: (tag: number, field: Reader) => void = () => {}): void {
    const count = this.uvarint();
    for (let i = 0; i < count; i++) {
      const tag = this.uvarint();
      const size = this.uvarint();
      this.need(size);
      onTag(tag, new Reader(this.buffer.subarray(this.offset, this.offset + size)));
      this.offset += size;
    }
  }
}

function int16(value: number): Buffer {
  const buffer = Buffer.allocUnsafe(2);
  buffer.writeInt16BE(value);
  return buffer;
}

function int32(value: number): Buffer {
  const buffer = Buffer.allocUnsafe(4);
  buffer.writeInt32BE(value);
  return buffer;
}

function string(value: string): Buffer {
  const bytes = Buffer.from(value, 'utf8');
  return Buffer.concat([int16(bytes.length), bytes]);
}

function uvarint(value: number): Buffer {
  const bytes: number[] = [];
  while (value > 0x7f) {
    bytes.push((value & 0x7f) | 0x80);
    value >>>= 7;
  }
  bytes.push(value);
  return Buffer.from(bytes);
}

function compactString(value: string): Buffer {
  const bytes = Buffer.from(value, 'utf8');
  return Buffer.concat([uvarint(bytes.length + 1), bytes]);
}

const NO_TAGS = Buffer.from([0]);

interface Pending {
  readonly resolve: (body: Buffer) => void;
  readonly reject: (error: Error) => void;
  readonly timer: NodeJS.Timeout;
  readonly flexibleResponseHeader: boolean;
}

/**
 * One connection to one broker listener, speaking just enough Kafka for the harness. Requests may be pipelined;
 * every request has a deadline. Errors are {@link KafkaHarnessError}s with code `ERR_PROTOCOL`.
 */
export class KafkaWireConnection {
  private correlationId = 0;
  private readonly pending = new Map<number, Pending>();
  private buffered: Buffer = Buffer.alloc(0);
  private failure: Error | undefined;

  private constructor(
    private readonly socket: Socket,
    private readonly endpoint: WireEndpoint,
    private readonly options: WireOptions,
  ) {
    socket.on('data', (chunk: Buffer) => this.onData(chunk));
    socket.on('error', (error) => this.failAll(this.wrap('connection failed', error)));
    socket.on('close', () => this.failAll(this.wrap('connection closed by the broker')));
  }

  /** Opens a connection (TCP, or TLS when `endpoint.tls` is set). */
  static connect(endpoint: WireEndpoint, options: WireOptions = {}): Promise<KafkaWireConnection> {
    const timeoutMs = options.timeoutMs ?? 10_000;
    return new Promise((resolvePromise, reject) => {
      const socket =
        endpoint.tls === undefined
          ? connectTcp({ host: endpoint.host, port: endpoint.port })
          : connectTls({ host: endpoint.host, port: endpoint.port, ...endpoint.tls });
      const where = `${endpoint.host}:${endpoint.port}`;
      const timer = setTimeout(() => {
        socket.destroy();
        reject(new KafkaHarnessError('ERR_PROTOCOL', `Connecting to ${where} timed out after ${timeoutMs} ms.`));
      }, timeoutMs);
      const onError = (error: Error) => {
        clearTimeout(timer);
        socket.destroy();
        reject(
          new KafkaHarnessError('ERR_PROTOCOL', `Cannot connect to ${where}: ${describeError(error)}`, {
            cause: error,
          }),
        );
      };
      socket.once('error', onError);
      socket.once(endpoint.tls === undefined ? 'connect' : 'secureConnect', () => {
        clearTimeout(timer);
        socket.off('error', onError);
        socket.setNoDelay(true);
        resolvePromise(new KafkaWireConnection(socket, endpoint, options));
      });
    });
  }

  private wrap(what: string, cause?: unknown): KafkaHarnessError {
    const detail = cause === undefined ? '' : `: ${describeError(cause)}`;
    return new KafkaHarnessError('ERR_PROTOCOL', `${this.endpoint.host}:${this.endpoint.port}: ${what}${detail}`, {
      cause,
    });
  }

  private failAll(error: Error): void {
    this.failure ??= error;
    for (const [id, pending] of this.pending) {
      clearTimeout(pending.timer);
      this.pending.delete(id);
      pending.reject(error);
    }
  }

  private onData(chunk: Buffer): void {
    this.buffered = this.buffered.length === 0 ? chunk : Buffer.concat([this.buffered, chunk]);
    while (this.buffered.length >= 4) {
      const size = this.buffered.readInt32BE(0);
      if (this.buffered.length < 4 + size) return;
      const frame = this.buffered.subarray(4, 4 + size);
      this.buffered = this.buffered.subarray(4 + size);
      const correlationId = frame.readInt32BE(0);
      const pending = this.pending.get(correlationId);
      if (pending === undefined) {
        this.failAll(this.wrap(`response with unknown correlation id ${correlationId}`));
        this.socket.destroy();
        return;
      }
      this.pending.delete(correlationId);
      clearTimeout(pending.timer);
      let body = frame.subarray(4);
      if (pending.flexibleResponseHeader) {
        // Response header v1: tagged fields follow the correlation id.
        const header = new Reader(body);
        header.taggedFields();
        body = body.subarray(header.position);
      }
      pending.resolve(body);
    }
  }

  /**
   * Sends one request and resolves with the response body (after the response header).
   * `flexible` selects request header v2 and response header v1; ApiVersions always answers with header v0.
   */
  request(apiKey: number, apiVersion: number, body: Buffer, flexible: boolean, what: string): Promise<Buffer> {
    if (this.failure !== undefined) return Promise.reject(this.failure);
    const correlationId = ++this.correlationId;
    const header = Buffer.concat([
      int16(apiKey),
      int16(apiVersion),
      int32(correlationId),
      string(this.options.clientId ?? 'vltava-kafka-harness'),
      flexible ? NO_TAGS : Buffer.alloc(0),
    ]);
    const frame = Buffer.concat([int32(header.length + body.length), header, body]);
    const timeoutMs = this.options.timeoutMs ?? 10_000;
    return new Promise((resolvePromise, reject) => {
      const timer = setTimeout(() => {
        this.pending.delete(correlationId);
        reject(this.wrap(`${what} timed out after ${timeoutMs} ms`));
      }, timeoutMs);
      this.pending.set(correlationId, {
        resolve: resolvePromise,
        reject,
        timer,
        flexibleResponseHeader: flexible && apiKey !== ApiKey.ApiVersions,
      });
      this.socket.write(frame);
    });
  }

  /** ApiVersions v3 (with features), falling back to v0 when the broker does not support v3. */
  async apiVersions(): Promise<ApiVersionsResult> {
    const v3Body = Buffer.concat([compactString('vltava-kafka-harness'), compactString('0.1.0'), NO_TAGS]);
    const v3 = new Reader(await this.request(ApiKey.ApiVersions, 3, v3Body, true, 'ApiVersions v3'));
    const errorCode = v3.int16();
    if (errorCode === UNSUPPORTED_VERSION) {
      const v0 = new Reader(await this.request(ApiKey.ApiVersions, 0, Buffer.alloc(0), false, 'ApiVersions v0'));
      const code = v0.int16();
      if (code !== 0) throw this.wrap(`ApiVersions v0 failed with error code ${code}`);
      const apis = new Map<number, ApiVersionRange>();
      v0.array(() => apis.set(v0.int16(), { minVersion: v0.int16(), maxVersion: v0.int16() }));
      return { requestVersion: 0, apis, supportedFeatures: new Map(), finalizedFeatures: new Map() };
    }
    if (errorCode !== 0) throw this.wrap(`ApiVersions v3 failed with error code ${errorCode}`);
    const apis = new Map<number, ApiVersionRange>();
    v3.compactArray(() => {
      apis.set(v3.int16(), { minVersion: v3.int16(), maxVersion: v3.int16() });
      v3.taggedFields();
    });
    v3.int32(); // throttle time
    const supportedFeatures = new Map<string, ApiVersionRange>();
    const finalizedFeatures = new Map<string, ApiVersionRange>();
    v3.taggedFields((tag, field) => {
      if (tag === 0) {
        field.compactArray(() => {
          supportedFeatures.set(field.compactString(), { minVersion: field.int16(), maxVersion: field.int16() });
          field.taggedFields();
        });
      } else if (tag === 2) {
        field.compactArray(() => {
          const name = field.compactString();
          const maxVersion = field.int16();
          finalizedFeatures.set(name, { minVersion: field.int16(), maxVersion });
          field.taggedFields();
        });
      }
    });
    return { requestVersion: 3, apis, supportedFeatures, finalizedFeatures };
  }

  /**
   * Metadata v4: the brokers, the controller, the cluster id, and the named topics (none by default; `null` asks
   * for every topic). Never creates topics.
   */
  async metadata(topics: readonly string[] | null = []): Promise<MetadataResult> {
    const topicArray = topics === null ? int32(-1) : Buffer.concat([int32(topics.length), ...topics.map(string)]);
    const body = Buffer.concat([topicArray, Buffer.from([0])]); // allow_auto_topic_creation = false
    const reader = new Reader(await this.request(ApiKey.Metadata, 4, body, false, 'Metadata v4'));
    reader.int32(); // throttle time
    const brokers = reader.array(() => ({
      nodeId: reader.int32(),
      host: reader.string(),
      port: reader.int32(),
      rack: reader.nullableString(),
    }));
    const clusterId = reader.nullableString();
    const controllerId = reader.int32();
    const topicList = reader.array(() => ({
      errorCode: reader.int16(),
      name: reader.string(),
      isInternal: reader.int8() !== 0,
      partitions: reader.array(() => ({
        errorCode: reader.int16(),
        partitionIndex: reader.int32(),
        leaderId: reader.int32(),
        replicaNodes: reader.array(() => reader.int32()),
        isrNodes: reader.array(() => reader.int32()),
      })),
    }));
    return { clusterId, controllerId, brokers, topics: topicList };
  }

  /**
   * SASL/PLAIN authentication (SaslHandshake v1, SaslAuthenticate v1). Rejects with `ERR_PROTOCOL` naming the
   * broker's error code when the credentials are refused; the password is never put in a message.
   */
  async saslPlain(username: string, password: string): Promise<SaslResult> {
    const handshake = new Reader(
      await this.request(ApiKey.SaslHandshake, 1, string('PLAIN'), false, 'SaslHandshake v1'),
    );
    const handshakeError = handshake.int16();
    const mechanisms = handshake.array(() => handshake.string());
    if (handshakeError !== 0) {
      throw this.wrap(`SaslHandshake refused PLAIN (error code ${handshakeError}; enabled: ${mechanisms.join(', ')})`);
    }
    const token = Buffer.from(`\u0000${username}\u0000${password}`, 'utf8');
    const body = Buffer.concat([int32(token.length), token]);
    const auth = new Reader(await this.request(ApiKey.SaslAuthenticate, 1, body, false, 'SaslAuthenticate v1'));
    const errorCode = auth.int16();
    const message = auth.nullableString();
    auth.bytes();
    const sessionLifetimeMs = auth.int64();
    if (errorCode !== 0) {
      throw this.wrap(`SASL/PLAIN authentication of ${username} failed (error code ${errorCode}: ${message ?? ''})`);
    }
    return { sessionLifetimeMs };
  }

  /** Closes the connection; pending requests fail. */
  close(): void {
    this.socket.destroy();
  }
}

/** Connects, runs `fn` on the connection, and closes it. */
export async function withWireConnection<T>(
  endpoint: WireEndpoint,
  fn: (connection: KafkaWireConnection) => Promise<T>,
  options: WireOptions = {},
): Promise<T> {
  const connection = await KafkaWireConnection.connect(endpoint, options);
  try {
    return await fn(connection);
  } finally {
    connection.close();
  }
}

/** Metadata (brokers, controller, cluster id) from one broker listener. */
export function fetchMetadata(
  endpoint: WireEndpoint,
  topics: readonly string[] | null = [],
  options: WireOptions = {},
): Promise<MetadataResult> {
  return withWireConnection(endpoint, (connection) => connection.metadata(topics), options);
}

/** ApiVersions from one broker listener. */
export function fetchApiVersions(endpoint: WireEndpoint, options: WireOptions = {}): Promise<ApiVersionsResult> {
  return withWireConnection(endpoint, (connection) => connection.apiVersions(), options);
}
