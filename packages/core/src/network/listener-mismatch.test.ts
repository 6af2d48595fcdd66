import { createServer, type Server, type Socket } from 'node:net';
import { createServer as createTlsServer, type SecureVersion } from 'node:tls';
import { afterEach, describe, expect, it } from 'vitest';
import { apiVersionsResponse, FakeBroker } from '../../test/support/fake-broker.js';
import { TEST_CERT_PEM, TEST_KEY_PEM } from '../../test/support/tls-fixture.js';
import { ConnectionError, TlsError } from '../errors/client-errors.js';
import { Metadata } from '../protocol/messages/generated/metadata.js';
import { Connection, type ConnectionOptions } from './connection.js';
import { ListenerMismatchTracker, looksLikeTlsRecord, MISMATCH_OBSERVATIONS } from './listener-mismatch.js';

describe('looksLikeTlsRecord', () => {
  it('recognises the record headers of every TLS content type and version', () => {
    expect(looksLikeTlsRecord(Buffer.from([0x15, 0x03, 0x03, 0x00, 0x02, 0x02, 0x50]))).toBe(true); // alert
    expect(looksLikeTlsRecord(Buffer.from([0x16, 0x03, 0x01]))).toBe(true); // handshake, TLS 1.0 record version
    expect(looksLikeTlsRecord(Buffer.from([0x14, 0x03, 0x00]))).toBe(true); // change_cipher_spec, SSL 3.0
    expect(looksLikeTlsRecord(Buffer.from([0x17, 0x03, 0x04]))).toBe(true); // application_data
  });

  it('does not mistake a Kafka response size for one', () => {
    expect(looksLikeTlsRecord(Buffer.from([0x00, 0x00, 0x01, 0x2c]))).toBe(false);
    expect(looksLikeTlsRecord(Buffer.from([0x05, 0xf5, 0xe1, 0x00]))).toBe(false); // 100 MB
    expect(looksLikeTlsRecord(Buffer.from([0x15, 0x04, 0x00]))).toBe(false);
    expect(looksLikeTlsRecord(Buffer.from([0x15, 0x03, 0x05]))).toBe(false);
    expect(looksLikeTlsRecord(Buffer.from([0x18, 0x03, 0x03]))).toBe(false);
    expect(looksLikeTlsRecord(Buffer.from([0x15, 0x03]))).toBe(false);
  });
});

describe('ListenerMismatchTracker', () => {
  it(`confirms a mismatch after ${MISMATCH_OBSERVATIONS} identical observations in a row`, () => {
    const tracker = new ListenerMismatchTracker();
    expect(tracker.observe('tls-to-plaintext')).toBe(false);
    expect(tracker.suspected).toBe('tls-to-plaintext');
    expect(tracker.observe('tls-to-plaintext')).toBe(true);
    expect(tracker.observations).toBe(2);
  });

  it('starts again after any other outcome', () => {
    const tracker = new ListenerMismatchTracker();
    tracker.observe('tls-to-plaintext');
    expect(tracker.observe(undefined)).toBe(false);
    expect(tracker.suspected).toBeUndefined();
    expect(tracker.observe('tls-to-plaintext')).toBe(false);
    expect(tracker.observe('sasl-required')).toBe(false);
    expect(tracker.observations).toBe(1);
    tracker.reset();
    expect(tracker.observe('sasl-required')).toBe(false);
    expect(tracker.observe('sasl-required')).toBe(true);
  });
});

// -----------------------------------------------------------------------------------------------------------------
// What a Connection observes, against small local servers that behave as the wrong listener would.

const servers: Server[] = [];
const connections: Connection[] = [];
const fakes: FakeBroker[] = [];

afterEach(async () => {
  for (const connection of connections.splice(0)) connection.close();
  for (const fake of fakes.splice(0)) {
    await fake.stop();
    expect(fake.failures).toEqual([]);
  }
  await Promise.all(servers.splice(0).map((server) => new Promise<void>((resolve) => server.close(() => resolve()))));
});

async function listen(server: Server): Promise<number> {
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('no port');
  return address.port;
}

/** A TCP server that runs `onSocket` for every connection it accepts. */
function tcpServer(onSocket: (socket: Socket) => void): Promise<number> {
  return listen(
    createServer((socket) => {
      socket.on('error', () => socket.destroy());
      onSocket(socket);
    }),
  );
}

function connectionTo(port: number, overrides: Partial<ConnectionOptions> = {}): Connection {
  const connection = new Connection({
    host: '127.0.0.1',
    port,
    clientId: 'listener-mismatch-test',
    connectTimeoutMs: 5_000,
    requestTimeoutMs: 5_000,
    maxInFlightRequests: 5,
    receiveMessageMaxBytes: 100 * 1024 * 1024,
    ...overrides,
  });
  connections.push(connection);
  return connection;
}

async function failure(promise: Promise<unknown>): Promise<unknown> {
  return promise.then(
    () => {
      throw new Error('expected a failure');
    },
    (error: unknown) => error,
  );
}

const metadataRequest = { topics: [], allowAutoTopicCreation: false, includeTopicAuthorizedOperations: false };
/** What a Kafka SSL listener answers a plaintext request with: a fatal alert record. */
const TLS_ALERT = Buffer.from([0x15, 0x03, 0x03, 0x00, 0x02, 0x02, 0x50]);

describe('Connection: a TLS client on a plaintext listener', () => {
  it('reports an accepted connection closed during the handshake with nothing received', async () => {
    // As a Kafka PLAINTEXT listener does: the ClientHello reads as a huge request size, and the socket is closed.
    const port = await tcpServer((socket) => socket.once('data', () => socket.end()));
    const connection = connectionTo(port, { tls: { rejectUnauthorized: false } });
    const error = await failure(connection.connect());
    expect(error).toBeInstanceOf(ConnectionError);
    expect((error as ConnectionError).retriable).toBe(true);
    expect((error as ConnectionError).message).toMatch(
      /during the TLS handshake.*PLAINTEXT\/SASL_PLAINTEXT.*remove ssl/,
    );
    expect(connection.listenerMismatch).toBe('tls-to-plaintext');
  });

  it('does not report a server that answered in something other than TLS: that is a TlsError at once', async () => {
    const port = await tcpServer((socket) => socket.once('data', () => socket.end('HTTP/1.1 400 Bad Request\r\n\r\n')));
    const connection = connectionTo(port, { tls: { rejectUnauthorized: false } });
    const error = await failure(connection.connect());
    expect(error).toBeInstanceOf(TlsError);
    expect((error as TlsError).message).toMatch(/did not answer in TLS/);
    expect(connection.listenerMismatch).toBeUndefined();
  });

  it('does not report a refused connection', async () => {
    const port = await tcpServer(() => undefined);
    await new Promise<void>((resolve) => servers.pop()!.close(() => resolve()));
    const connection = connectionTo(port, { tls: { rejectUnauthorized: false } });
    const error = await failure(connection.connect());
    expect(error).toBeInstanceOf(ConnectionError);
    expect(connection.listenerMismatch).toBeUndefined();
  });
});

describe('Connection: a plaintext client on a TLS listener', () => {
  it('fails at once with TlsError when a TLS record comes where a response was expected', async () => {
    const port = await tcpServer((socket) => socket.once('data', () => socket.end(TLS_ALERT)));
    const started = Date.now();
    const error = await failure(connectionTo(port).connect());
    expect(error).toBeInstanceOf(TlsError);
    expect((error as TlsError).retriable).toBe(false);
    expect((error as TlsError).message).toMatch(/this port speaks TLS.*set ssl/);
    expect(Date.now() - started).toBeLessThan(1_000);
  });

  it('recognises the record when its header arrives one byte at a time', async () => {
    const port = await tcpServer((socket) =>
      socket.once('data', async () => {
        for (const byte of TLS_ALERT) {
          socket.write(Buffer.from([byte]));
          await new Promise((resolve) => setTimeout(resolve, 5));
        }
        socket.end();
      }),
    );
    const error = await failure(connectionTo(port).connect());
    expect(error).toBeInstanceOf(TlsError);
    expect((error as TlsError).message).toMatch(/this port speaks TLS/);
  });

  it('still reads a first response that arrives one byte at a time', async () => {
    const fake = await FakeBroker.start((request) =>
      request.apiName === 'ApiVersions' ? { splitEvery: 1, response: apiVersionsResponse() } : undefined,
    );
    fakes.push(fake);
    const connection = connectionTo(fake.port);
    await connection.connect();
    const response = await connection.send(Metadata, metadataRequest);
    expect(response.clusterId).toBe('fake-cluster');
  });
});

describe('Connection: a client without SASL on a SASL listener', () => {
  it('reports a broker that answered ApiVersions and closed the connection at the first other request', async () => {
    const fake = await FakeBroker.start((request) => (request.apiName === 'Metadata' ? 'close' : undefined));
    fakes.push(fake);
    const connection = connectionTo(fake.port);
    await connection.connect();
    const error = await failure(connection.send(Metadata, metadataRequest));
    expect(error).toBeInstanceOf(ConnectionError);
    expect((error as ConnectionError).retriable).toBe(true);
    expect((error as ConnectionError).message).toMatch(/first request after ApiVersions.*set sasl/);
    expect(connection.listenerMismatch).toBe('sasl-required');
  });

  it('does not report a broker that served a request before it closed the connection', async () => {
    let metadataRequests = 0;
    const fake = await FakeBroker.start((request) =>
      request.apiName === 'Metadata' && ++metadataRequests > 1 ? 'close' : undefined,
    );
    fakes.push(fake);
    const connection = connectionTo(fake.port);
    await connection.connect();
    await connection.send(Metadata, metadataRequest);
    const error = await failure(connection.send(Metadata, metadataRequest));
    expect(error).toBeInstanceOf(ConnectionError);
    expect((error as ConnectionError).message).not.toMatch(/sasl/);
    expect(connection.listenerMismatch).toBeUndefined();
  });
});

describe('Connection: a broker that requires a client certificate', () => {
  async function mutualTlsServer(version: SecureVersion): Promise<number> {
    const server = createTlsServer({
      key: TEST_KEY_PEM,
      cert: TEST_CERT_PEM,
      ca: [TEST_CERT_PEM],
      requestCert: true,
      rejectUnauthorized: true,
      minVersion: version,
      maxVersion: version,
    });
    server.on('tlsClientError', () => undefined);
    return listen(server);
  }

  for (const version of ['TLSv1.2', 'TLSv1.3'] as const) {
    it(`${version}: the alert refusing a missing certificate is a TlsError, whenever it arrives`, async () => {
      // Under TLS 1.3 the alert comes after the client's handshake completed, while ApiVersions is in flight.
      const port = await mutualTlsServer(version);
      const connection = connectionTo(port, { tls: { ca: TEST_CERT_PEM, minVersion: version, maxVersion: version } });
      const error = await failure(connection.connect());
      expect(error).toBeInstanceOf(TlsError);
      expect((error as TlsError).retriable).toBe(false);
      expect((error as TlsError).recovery).toBe('fail-client');
      expect((error as TlsError).message).toMatch(/requires? a client certificate.*set ssl.cert and ssl.key/);
      expect(connection.listenerMismatch).toBeUndefined();
    });
  }
});
