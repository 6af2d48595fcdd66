import { createServer, type Server, type Socket } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { KafkaHarnessError } from '../errors.js';
import { fetchApiVersions, fetchMetadata, KafkaWireConnection } from './kafka-wire-client.js';

/** A parsed request header (v1 or v2) as the fake broker sees it. */
interface SeenRequest {
  apiKey: number;
  apiVersion: number;
  correlationId: number;
  clientId: string;
}

type Respond = (request: SeenRequest) => Buffer | undefined;

const i16 = (v: number) => Buffer.from([(v >> 8) & 0xff, v & 0xff]);
const i32 = (v: number) => {
  const b = Buffer.alloc(4);
  b.writeInt32BE(v);
  return b;
};
const str = (s: string) => Buffer.concat([i16(Buffer.byteLength(s)), Buffer.from(s)]);
const cstr = (s: string) => Buffer.concat([Buffer.from([Buffer.byteLength(s) + 1]), Buffer.from(s)]);

let server: Server | undefined;
const seen: SeenRequest[] = [];

async function fakeBroker(respond: Respond): Promise<{ host: string; port: number }> {
  seen.length = 0;
  server = createServer((socket: Socket) => {
    let buffered = Buffer.alloc(0);
    socket.on('data', (chunk) => {
      buffered = Buffer.concat([buffered, chunk]);
      while (buffered.length >= 4 && buffered.length >= 4 + buffered.readInt32BE(0)) {
        const frame = buffered.subarray(4, 4 + buffered.readInt32BE(0));
        buffered = buffered.subarray(4 + frame.length);
        const clientIdLength = frame.readInt16BE(8);
        const request = {
          apiKey: frame.readInt16BE(0),
          apiVersion: frame.readInt16BE(2),
          correlationId: frame.readInt32BE(4),
          clientId: frame.toString('utf8', 10, 10 + clientIdLength),
        };
        seen.push(request);
        const body = respond(request);
        if (body !== undefined) {
          const payload = Buffer.concat([i32(request.correlationId), body]);
          socket.write(Buffer.concat([i32(payload.length), payload]));
        }
      }
    });
  });
  await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve));
  const address = server.address() as { port: number };
  return { host: '127.0.0.1', port: address.port };
}

afterEach(async () => {
  await new Promise<void>((resolve) => (server === undefined ? resolve() : server.close(() => resolve())));
  server = undefined;
});

describe('KafkaWireConnection', () => {
  it('reads ApiVersions v3 with features in tagged fields, skipping unknown tags', async () => {
    const endpoint = await fakeBroker(() => {
      const apis = Buffer.concat([
        Buffer.from([3]), // two entries
        i16(0),
        i16(3),
        i16(13),
        Buffer.from([0]),
        i16(18),
        i16(0),
        i16(5),
        Buffer.from([0]),
      ]);
      const finalized = Buffer.concat([Buffer.from([2]), cstr('group.version'), i16(1), i16(1), Buffer.from([0])]);
      const unknown = Buffer.from([0xaa, 0xbb]);
      const tags = Buffer.concat([
        Buffer.from([2]), // two tagged fields
        Buffer.from([7, unknown.length]),
        unknown,
        Buffer.from([2, finalized.length]),
        finalized,
      ]);
      return Buffer.concat([i16(0), apis, i32(0), tags]);
    });
    const versions = await fetchApiVersions(endpoint);
    expect(seen[0]).toMatchObject({ apiKey: 18, apiVersion: 3, clientId: 'vltava-kafka-harness' });
    expect(versions.requestVersion).toBe(3);
    expect(versions.apis.get(0)).toEqual({ minVersion: 3, maxVersion: 13 });
    expect(versions.apis.get(18)).toEqual({ minVersion: 0, maxVersion: 5 });
    expect(versions.finalizedFeatures.get('group.version')).toEqual({ minVersion: 1, maxVersion: 1 });
  });

  it('falls back to ApiVersions v0 when the broker does not support v3', async () => {
    const endpoint = await fakeBroker((request) =>
      request.apiVersion === 3
        ? Buffer.concat([i16(35), i32(0)])
        : Buffer.concat([i16(0), i32(1), i16(3), i16(0), i16(12)]),
    );
    const versions = await fetchApiVersions(endpoint);
    expect(seen.map((r) => r.apiVersion)).toEqual([3, 0]);
    expect(versions.requestVersion).toBe(0);
    expect(versions.apis.get(3)).toEqual({ minVersion: 0, maxVersion: 12 });
  });

  it('decodes Metadata v4 brokers, cluster id, controller and topics', async () => {
    const endpoint = await fakeBroker(() =>
      Buffer.concat([
        i32(0), // throttle
        i32(2),
        i32(1),
        str('127.0.0.1'),
        i32(9092),
        i16(-1),
        i32(2),
        str('127.0.0.1'),
        i32(9093),
        str('rack-b'),
        str('cluster-x'),
        i32(2), // controller
        i32(1),
        i16(0),
        str('orders'),
        Buffer.from([0]),
        i32(1),
        i16(0),
        i32(0),
        i32(1),
        i32(2),
        i32(1),
        i32(2),
        i32(1),
        i32(1),
      ]),
    );
    const metadata = await fetchMetadata(endpoint, ['orders']);
    expect(seen[0]).toMatchObject({ apiKey: 3, apiVersion: 4 });
    expect(metadata).toEqual({
      clusterId: 'cluster-x',
      controllerId: 2,
      brokers: [
        { nodeId: 1, host: '127.0.0.1', port: 9092, rack: null },
        { nodeId: 2, host: '127.0.0.1', port: 9093, rack: 'rack-b' },
      ],
      topics: [
        {
          errorCode: 0,
          name: 'orders',
          isInternal: false,
          partitions: [{ errorCode: 0, partitionIndex: 0, leaderId: 1, replicaNodes: [1, 2], isrNodes: [1] }],
        },
      ],
    });
  });

  it('fails a request that gets no answer within the deadline', async () => {
    const endpoint = await fakeBroker(() => undefined);
    const connection = await KafkaWireConnection.connect(endpoint, { timeoutMs: 200 });
    try {
      const error = await connection.metadata().catch((e: unknown) => e);
      expect(error).toBeInstanceOf(KafkaHarnessError);
      expect((error as Error).message).toMatch(/Metadata v4 timed out after 200 ms/);
    } finally {
      connection.close();
    }
  });

  it('reports a refused connection clearly', async () => {
    const endpoint = await fakeBroker(() => undefined);
    await new Promise<void>((resolve) => server!.close(() => resolve()));
    server = undefined;
    const error = await fetchMetadata(endpoint).catch((e: unknown) => e);
    expect((error as KafkaHarnessError).code).toBe('ERR_PROTOCOL');
    expect((error as Error).message).toMatch(/Cannot connect to 127\.0\.0\.1:\d+: .*ECONNREFUSED/);
  });
});
