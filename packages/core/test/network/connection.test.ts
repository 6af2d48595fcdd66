import { kafkaBrokers, kafkaSasl, kafkaTls } from '@vltava/kafka-harness/vitest';
import { afterEach, describe, expect, it } from 'vitest';
import {
  AuthenticationError,
  ClientClosedError,
  ConnectionError,
  ProtocolError,
  RequestTimeoutError,
  TlsError,
} from '../../src/errors/index.js';
import { Connection, type ConnectionOptions } from '../../src/network/connection.js';
import { createSaslMechanism, type SaslOptions } from '../../src/network/sasl/sasl-options.js';
import { ApiKeys, Metadata } from '../../src/protocol/messages/generated/index.js';
import { FakeBroker } from '../support/fake-broker.js';

const open: Connection[] = [];
const fakes: FakeBroker[] = [];

afterEach(async () => {
  for (const connection of open.splice(0)) connection.close();
  for (const fake of fakes.splice(0)) {
    await fake.stop();
    expect(fake.failures).toEqual([]);
  }
});

function connectionTo(address: string, overrides: Partial<ConnectionOptions> = {}): Connection {
  const [host, port] = address.split(':') as [string, string];
  const connection = new Connection({
    host,
    port: Number(port),
    clientId: 'vltava-connection-test',
    connectTimeoutMs: 10_000,
    requestTimeoutMs: 10_000,
    maxInFlightRequests: 5,
    receiveMessageMaxBytes: 100 * 1024 * 1024,
    ...overrides,
  });
  open.push(connection);
  return connection;
}

const metadataRequest = { topics: [], allowAutoTopicCreation: false, includeTopicAuthorizedOperations: false };

describe('Connection against the real broker', () => {
  it('negotiates versions with ApiVersions and answers Metadata', async () => {
    const connection = connectionTo(kafkaBrokers()[0]!);
    await connection.connect();
    expect(connection.ready).toBe(true);
    const produce = connection.apiVersions.get(ApiKeys.Produce);
    expect(produce?.maxVersion).toBeGreaterThanOrEqual(9);
    expect(connection.versionFor(Metadata)).toBeGreaterThanOrEqual(12);
    const response = await connection.send(Metadata, metadataRequest);
    expect(response.brokers.length).toBeGreaterThanOrEqual(1);
    expect(response.clusterId).toEqual(expect.any(String));
  });

  it('pipelines many concurrent requests without exceeding the in-flight window', async () => {
    const connection = connectionTo(kafkaBrokers()[0]!, { maxInFlightRequests: 3 });
    await connection.connect();
    let maxSeen = 0;
    const sends = Array.from({ length: 60 }, () => {
      const promise = connection.send(Metadata, metadataRequest);
      return promise;
    });
    const sampler = setInterval(() => {
      maxSeen = Math.max(maxSeen, connection.inFlightCount);
    }, 0);
    const responses = await Promise.all(sends);
    clearInterval(sampler);
    expect(responses).toHaveLength(60);
    expect(maxSeen).toBeLessThanOrEqual(3);
    expect(connection.inFlightCount).toBe(0);
    expect(connection.queuedCount).toBe(0);
  });

  it('rejects queued and in-flight requests with ClientClosedError on close', async () => {
    const connection = connectionTo(kafkaBrokers()[0]!, { maxInFlightRequests: 1 });
    await connection.connect();
    const sends = Array.from({ length: 5 }, () => connection.send(Metadata, metadataRequest));
    connection.close();
    const results = await Promise.allSettled(sends);
    for (const result of results) {
      expect(result.status).toBe('rejected');
      expect((result as PromiseRejectedResult).reason).toBeInstanceOf(ClientClosedError);
    }
    await expect(connection.send(Metadata, metadataRequest)).rejects.toBeInstanceOf(ClientClosedError);
  });

  it('fails fast with a retriable ConnectionError when nothing listens', async () => {
    const fake = await FakeBroker.start();
    const address = fake.address;
    await fake.stop();
    const connection = connectionTo(address);
    const error = await connection.connect().then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(ConnectionError);
    expect((error as ConnectionError).retriable).toBe(true);
  });
});

describe('SASL against the real broker', () => {
  const users = () => kafkaSasl().users;
  const user = () => users().find((u) => !u.superUser) ?? users()[0]!;

  for (const mechanism of ['PLAIN', 'SCRAM-SHA-256', 'SCRAM-SHA-512'] as const) {
    it(`authenticates with ${mechanism}`, async () => {
      const { username, password } = user();
      const connection = connectionTo(kafkaSasl().brokers[0]!, {
        sasl: createSaslMechanism({ mechanism, username, password }),
      });
      await connection.connect();
      const response = await connection.send(Metadata, metadataRequest);
      expect(response.brokers.length).toBeGreaterThanOrEqual(1);
    });

    it(`fails fast with AuthenticationError on a wrong ${mechanism} password`, async () => {
      const started = Date.now();
      const connection = connectionTo(kafkaSasl().brokers[0]!, {
        sasl: createSaslMechanism({ mechanism, username: user().username, password: 'not-the-password' }),
      });
      const error = await connection.connect().then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(error).toBeInstanceOf(AuthenticationError);
      expect((error as AuthenticationError).retriable).toBe(false);
      expect((error as Error).message).not.toContain('not-the-password');
      expect(Date.now() - started).toBeLessThan(5_000);
      expect(connection.closed).toBe(true);
    });
  }

  it('authenticates with OAUTHBEARER using a token provider', async () => {
    const unsecuredJwt = (subject: string) => {
      const encode = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');
      const now = Math.floor(Date.now() / 1000);
      return `${encode({ alg: 'none' })}.${encode({ sub: subject, iat: now, exp: now + 3600, scope: 'kafka' })}.`;
    };
    let calls = 0;
    const sasl: SaslOptions = {
      mechanism: 'OAUTHBEARER',
      tokenProvider: () => {
        calls++;
        return { value: unsecuredJwt(user().username) };
      },
    };
    const connection = connectionTo(kafkaSasl().brokers[0]!, { sasl: createSaslMechanism(sasl) });
    await connection.connect();
    await connection.send(Metadata, metadataRequest);
    expect(calls).toBe(1);
  });

  it('reports a mechanism the broker does not enable', async () => {
    const connection = connectionTo(kafkaSasl().brokers[0]!, {
      sasl: { mechanism: 'GSSAPI', authenticate: async () => {} },
    });
    await expect(connection.connect()).rejects.toThrow(/does not enable SASL mechanism GSSAPI/);
  });
});

describe('TLS against the real broker', () => {
  it('connects with the CA and verifies the hostname', async () => {
    const { brokers, ca } = kafkaTls();
    const connection = connectionTo(brokers[0]!, { tls: { ca } });
    await connection.connect();
    const response = await connection.send(Metadata, metadataRequest);
    expect(response.brokers.length).toBeGreaterThanOrEqual(1);
  });

  it('fails fast with TlsError when the certificate is not trusted', async () => {
    const started = Date.now();
    const connection = connectionTo(kafkaTls().brokers[0]!, { tls: {} });
    const error = await connection.connect().then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(TlsError);
    expect((error as TlsError).retriable).toBe(false);
    expect(Date.now() - started).toBeLessThan(5_000);
  });

  it('fails with TlsError when the hostname does not match the certificate', async () => {
    const { brokers, ca } = kafkaTls();
    const connection = connectionTo(brokers[0]!, { tls: { ca, servername: 'wrong.example.com' } });
    await expect(connection.connect()).rejects.toBeInstanceOf(TlsError);
  });
});

describe('Connection faults injected by a fake broker', () => {
  it('reassembles responses that arrive one byte at a time', async () => {
    const fake = await FakeBroker.start((request) =>
      request.apiName === 'Metadata'
        ? {
            splitEvery: 1,
            response: {
              throttleTimeMs: 0,
              brokers: [{ nodeId: 7, host: 'h', port: 1, rack: 'r1' }],
              clusterId: 'split',
              controllerId: 7,
              topics: [],
              clusterAuthorizedOperations: -2147483648,
              errorCode: 0,
            },
          }
        : undefined,
    );
    fakes.push(fake);
    const connection = connectionTo(fake.address);
    await connection.connect();
    const response = await connection.send(Metadata, metadataRequest);
    expect(response.clusterId).toBe('split');
    expect(response.brokers[0]?.rack).toBe('r1');
  });

  it('times out a request that gets no answer, and closes the connection', async () => {
    const fake = await FakeBroker.start((request) => (request.apiName === 'Metadata' ? 'ignore' : undefined));
    fakes.push(fake);
    const connection = connectionTo(fake.address, { requestTimeoutMs: 300 });
    await connection.connect();
    const error = await connection.send(Metadata, metadataRequest).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(RequestTimeoutError);
    expect((error as RequestTimeoutError).retriable).toBe(true);
    expect(connection.closed).toBe(true);
  });

  it('closes on a response whose correlation id does not match, failing requests with ProtocolError', async () => {
    const fake = await FakeBroker.start((request) =>
      request.apiName === 'Metadata'
        ? {
            correlationId: request.correlationId + 1000,
            response: {
              throttleTimeMs: 0,
              brokers: [],
              clusterId: null,
              controllerId: -1,
              topics: [],
              clusterAuthorizedOperations: -2147483648,
              errorCode: 0,
            },
          }
        : undefined,
    );
    fakes.push(fake);
    const connection = connectionTo(fake.address);
    await connection.connect();
    await expect(connection.send(Metadata, metadataRequest)).rejects.toBeInstanceOf(ProtocolError);
    expect(connection.closed).toBe(true);
  });

  it('rejects a frame above receiveMessageMaxBytes without allocating it', async () => {
    const huge = Buffer.alloc(4);
    huge.writeInt32BE(2_000_000_000);
    const fake = await FakeBroker.start((request) => (request.apiName === 'Metadata' ? { raw: huge } : undefined));
    fakes.push(fake);
    const connection = connectionTo(fake.address, { receiveMessageMaxBytes: 1024 * 1024 });
    await connection.connect();
    const error = await connection.send(Metadata, metadataRequest).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(ProtocolError);
    expect((error as Error).message).toContain('receiveMessageMaxBytes');
  });

  it('fails in-flight requests with a retriable ConnectionError when the broker drops the socket', async () => {
    const fake = await FakeBroker.start((request) => (request.apiName === 'Metadata' ? 'close' : undefined));
    fakes.push(fake);
    const connection = connectionTo(fake.address);
    await connection.connect();
    const results = await Promise.allSettled([
      connection.send(Metadata, metadataRequest),
      connection.send(Metadata, metadataRequest),
    ]);
    for (const result of results) {
      expect(result.status).toBe('rejected');
      const reason = (result as PromiseRejectedResult).reason as ConnectionError;
      expect(reason).toBeInstanceOf(ConnectionError);
      expect(reason.retriable).toBe(true);
    }
  });

  it('downgrades ApiVersions when the broker answers UNSUPPORTED_VERSION in the v0 layout (KIP-511)', async () => {
    const fake = await FakeBroker.start((request) => {
      if (request.apiName !== 'ApiVersions') return undefined;
      if (request.apiVersion > 2) {
        // What an older broker does: error 35 and its own range, encoded as version 0.
        const v0 = Buffer.alloc(4 + 4 + 2 + 4 + 6);
        let o = 0;
        o = v0.writeInt32BE(v0.length - 4, o);
        o = v0.writeInt32BE(request.correlationId, o);
        o = v0.writeInt16BE(35, o);
        o = v0.writeInt32BE(1, o);
        o = v0.writeInt16BE(ApiKeys.ApiVersions, o);
        o = v0.writeInt16BE(0, o);
        v0.writeInt16BE(2, o);
        return { raw: v0 };
      }
      return undefined;
    });
    fakes.push(fake);
    const connection = connectionTo(fake.address);
    await connection.connect();
    const versions = fake.requests.filter((r) => r.apiName === 'ApiVersions').map((r) => r.apiVersion);
    expect(versions).toHaveLength(2);
    expect(versions[0]).toBeGreaterThan(2);
    expect(versions[1]).toBe(2);
    expect(connection.ready).toBe(true);
  });
});
