import { createServer, type Server, type Socket } from 'node:net';
import { FrameDecoder } from '../../src/network/frame-decoder.js';
import { apiByKey, apis } from '../../src/protocol/messages/generated/index.js';
import type { MetadataResponse } from '../../src/protocol/messages/generated/metadata.js';
import { Reader } from '../../src/protocol/primitives/reader.js';
import { Writer } from '../../src/protocol/primitives/writer.js';

/** A request as the fake broker decoded it. */
export interface FakeRequest {
  readonly apiKey: number;
  readonly apiName: string;
  readonly apiVersion: number;
  readonly correlationId: number;
  readonly clientId: string | null;
  readonly body: unknown;
}

/**
 * What the handler wants done with a request:
 * - `{ response }`: encode and send it (in the request's version);
 * - `{ response, splitEvery }`: the same, written a few bytes at a time (partial reads on the client);
 * - `{ raw }`: send these bytes as they are (to inject garbage or wrong correlation ids);
 * - `'ignore'`: never answer; `'close'`: close the socket.
 */
export type FakeReply =
  | { readonly response: unknown; readonly splitEvery?: number; readonly correlationId?: number }
  | { readonly raw: Buffer }
  | 'ignore'
  | 'close';

/** Decides how to answer one request. Return undefined for the default answer. */
export type FakeHandler = (
  request: FakeRequest,
  socket: Socket,
) => FakeReply | undefined | Promise<FakeReply | undefined>;

/**
 * A fake Kafka broker on 127.0.0.1 for fault injection: it decodes requests with the same generated codecs the
 * client uses and lets a test script each answer — delay it, drop it, split it, corrupt it, or close the socket.
 * It answers ApiVersions (every API the codecs know) and Metadata (itself as node 0) by default. Tests of real
 * behaviour run against the real broker; this exists for failures a real broker will not produce on demand.
 */
export class FakeBroker {
  readonly requests: FakeRequest[] = [];
  readonly sockets = new Set<Socket>();
  /** Failures inside the fake itself (a handler threw, a response did not encode): tests should expect none. */
  readonly failures: unknown[] = [];
  private constructor(
    private readonly server: Server,
    readonly port: number,
  ) {}

  /** Starts listening on a free loopback port. */
  static async start(handler: FakeHandler = () => undefined): Promise<FakeBroker> {
    let broker: FakeBroker | undefined;
    const server = createServer((socket) => broker!.accept(socket, handler));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const address = server.address();
    if (address === null || typeof address === 'string') throw new Error('fake broker has no port');
    broker = new FakeBroker(server, address.port);
    return broker;
  }

  /** `127.0.0.1:port`. */
  get address(): string {
    return `127.0.0.1:${this.port}`;
  }

  /** Closes every connection and the listener. */
  async stop(): Promise<void> {
    for (const socket of this.sockets) socket.destroy();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private accept(socket: Socket, handler: FakeHandler): void {
    this.sockets.add(socket);
    socket.on('close', () => this.sockets.delete(socket));
    socket.on('error', () => socket.destroy());
    let chain = Promise.resolve();
    const decoder = new FrameDecoder(64 * 1024 * 1024, (frame) => {
      const request = decodeRequest(frame);
      this.requests.push(request);
      // Answer in order, as a real broker does, even when a handler is slow.
      chain = chain
        .then(async () => {
          const reply = (await handler(request, socket)) ?? defaultReply(request, this.port);
          if (socket.destroyed) return;
          if (reply === 'ignore') return;
          if (reply === 'close') {
            socket.destroy();
            return;
          }
          if ('raw' in reply) {
            socket.write(reply.raw);
            return;
          }
          const bytes = encodeResponse(request, reply.response, reply.correlationId ?? request.correlationId);
          if (reply.splitEvery === undefined) {
            socket.write(bytes);
          } else {
            for (let i = 0; i < bytes.length; i += reply.splitEvery) {
              socket.write(bytes.subarray(i, i + reply.splitEvery));
              await new Promise((resolve) => setImmediate(resolve));
            }
          }
        })
        .catch((error: unknown) => {
          this.failures.push(error);
          socket.destroy();
        });
    });
    socket.on('data', (chunk: Buffer) => {
      try {
        decoder.push(chunk);
      } catch {
        socket.destroy();
      }
    });
  }
}

function decodeRequest(frame: Buffer): FakeRequest {
  const reader = new Reader(frame);
  const apiKey = reader.readInt16();
  const apiVersion = reader.readInt16();
  const correlationId = reader.readInt32();
  const api = apiByKey(apiKey);
  if (api === undefined) throw new Error(`fake broker: unknown API key ${apiKey}`);
  const clientId = reader.readNullableString();
  if (api.requestHeaderVersion(apiVersion) >= 2) reader.skipTaggedFields();
  const body = api.decodeRequest(reader, apiVersion);
  return { apiKey, apiName: api.name, apiVersion, correlationId, clientId, body };
}

/** Encodes a response frame (size prefix included) for a request. */
export function encodeResponse(request: FakeRequest, response: unknown, correlationId = request.correlationId): Buffer {
  const api = apiByKey(request.apiKey)!;
  const writer = new Writer(256, Number.POSITIVE_INFINITY);
  const size = writer.reserveInt32();
  writer.writeInt32(correlationId);
  if (api.responseHeaderVersion(request.apiVersion) >= 1) writer.writeUnsignedVarint(0);
  api.encodeResponse(writer, request.apiVersion, response);
  writer.patchInt32(size, writer.length - 4);
  return writer.toBuffer();
}

/** The fake broker's default ApiVersions answer: every API the codecs know, up to its highest stable version. */
export function apiVersionsResponse(): unknown {
  return {
    errorCode: 0,
    apiKeys: apis.map((api) => ({
      apiKey: api.apiKey,
      minVersion: api.minVersion,
      maxVersion: api.maxStableVersion,
    })),
    throttleTimeMs: 0,
    supportedFeatures: [],
    finalizedFeaturesEpoch: -1n,
    finalizedFeatures: [],
    zkMigrationReady: false,
  };
}

/**
 * A Metadata response naming the fake broker (node 0 on `port`) as the only broker and the leader of every
 * partition of `topics` (name and partition count).
 */
export function metadataResponse(port: number, topics: Readonly<Record<string, number>> = {}): MetadataResponse {
  return {
    throttleTimeMs: 0,
    brokers: [{ nodeId: 0, host: '127.0.0.1', port, rack: null }],
    clusterId: 'fake-cluster',
    controllerId: 0,
    topics: Object.entries(topics).map(([name, count]) => ({
      errorCode: 0,
      name,
      topicId: 'AAAAAAAAAAAAAAAAAAAAAA',
      isInternal: false,
      partitions: Array.from({ length: count }, (_, partitionIndex) => ({
        errorCode: 0,
        partitionIndex,
        leaderId: 0,
        leaderEpoch: 0,
        replicaNodes: [0],
        isrNodes: [0],
        offlineReplicas: [],
      })),
      topicAuthorizedOperations: -2147483648,
    })),
    clusterAuthorizedOperations: -2147483648,
    errorCode: 0,
  };
}

function defaultReply(request: FakeRequest, port: number): FakeReply {
  switch (request.apiName) {
    case 'ApiVersions':
      return { response: apiVersionsResponse() };
    case 'Metadata':
      return { response: metadataResponse(port) };
    default:
      throw new Error(`fake broker: no default answer for ${request.apiName}; script one in the handler`);
  }
}
