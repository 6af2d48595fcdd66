import { createServer } from 'node:net';
import { kafkaBrokers, kafkaSasl } from '@vltava/kafka-harness/vitest';
import { afterEach, describe, expect, it } from 'vitest';
import { Admin } from '../../src/admin/admin.js';
import { diagnosticChannels } from '../../src/diagnostics/channels.js';
import type {
  AdminPayload,
  AuthenticatePayload,
  ClosePayload,
  ConnectPayload,
  RequestPayload,
} from '../../src/diagnostics/payloads.js';
import type { TracedChannel } from '../../src/diagnostics/traced-channel.js';
import { ClientClosedError, ConnectionError } from '../../src/errors/index.js';
import { Connection, type ConnectionOptions } from '../../src/network/connection.js';
import { createSaslMechanism } from '../../src/network/sasl/sasl-options.js';
import { Metadata } from '../../src/protocol/messages/generated/index.js';

// The connection and admin channels against the real broker: what a subscriber sees, in Node's event order.

const stops: Array<() => void> = [];
const open: Connection[] = [];
afterEach(() => {
  for (const stop of stops.splice(0)) stop();
  for (const connection of open.splice(0)) connection.close();
});

let clientCount = 0;
const uniqueClientId = () => `diagnostics-${process.pid}-${Date.now()}-${++clientCount}`;

/** Records the events of a tracing channel for one client id: `[event, payload]` in order. */
function record<P extends { clientId: string }>(channel: TracedChannel<P>, clientId: string): Array<[string, P]> {
  const events: Array<[string, P]> = [];
  const on = (event: string) => (payload: P) => {
    if (payload.clientId === clientId) events.push([event, payload]);
  };
  stops.push(
    channel.subscribe({
      start: on('start'),
      end: on('end'),
      asyncStart: on('asyncStart'),
      asyncEnd: on('asyncEnd'),
      error: on('error'),
    }),
  );
  return events;
}

function connectionTo(address: string, clientId: string, overrides: Partial<ConnectionOptions> = {}): Connection {
  const [host, port] = address.split(':') as [string, string];
  const connection = new Connection({
    host,
    port: Number(port),
    nodeId: 1,
    clientId,
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

describe('diagnostics channels against the real broker', () => {
  it('traces an admin call, its connection and each of its requests, and counts them in Admin.metrics()', async () => {
    const clientId = uniqueClientId();
    const connects = record(diagnosticChannels.connect, clientId);
    const requests = record(diagnosticChannels.request, clientId);
    const calls = record(diagnosticChannels.admin, clientId);
    const admin = new Admin({ brokers: kafkaBrokers(), clientId, logLevel: 'error' });
    try {
      const topics = await admin.listTopics();
      expect(Array.isArray(topics)).toBe(true);

      expect(calls.map(([event]) => event)).toEqual(['start', 'end', 'asyncStart', 'asyncEnd']);
      const call: AdminPayload = calls[0]![1];
      expect(call).toMatchObject({ clientId, method: 'listTopics', result: topics });

      // The bootstrap connection, then (listTopics asks any known broker) possibly one to the broker by node id.
      const connections = new Map<ConnectPayload, string[]>();
      for (const [event, payload] of connects) connections.set(payload, [...(connections.get(payload) ?? []), event]);
      for (const events of connections.values()) expect(events).toEqual(['start', 'end', 'asyncStart', 'asyncEnd']);
      const [bootstrap, ...others] = connections.keys();
      expect(bootstrap).toMatchObject({ clientId, tls: false, saslMechanism: undefined, nodeId: undefined });
      for (const other of others) expect(other.nodeId).toEqual(expect.any(Number));
      for (const connect of connections.keys()) expect(connect.error).toBeUndefined();

      // Every request: start, end, asyncStart, asyncEnd, one payload each, filled in before asyncStart.
      const byPayload = new Map<RequestPayload, string[]>();
      for (const [event, payload] of requests) byPayload.set(payload, [...(byPayload.get(payload) ?? []), event]);
      for (const events of byPayload.values()) expect(events).toEqual(['start', 'end', 'asyncStart', 'asyncEnd']);
      const payloads = [...byPayload.keys()];
      expect(payloads.map((p) => p.apiName)).toEqual(expect.arrayContaining(['ApiVersions', 'Metadata']));
      for (const p of payloads) {
        expect(p.requestBytes).toBeGreaterThan(0);
        expect(p.responseBytes).toBeGreaterThan(0);
        expect(p.writtenAt).toBeGreaterThanOrEqual(p.queuedAt);
        expect(p.durationMs).toBeGreaterThanOrEqual(0);
        expect(p.throttleTimeMs).toBe(0);
        expect(p.error).toBeUndefined();
        expect(p.result).toBeDefined();
      }
      const metadata = payloads.find((p) => p.apiName === 'Metadata')!;
      expect(metadata.apiVersion).toBeGreaterThanOrEqual(12);
      expect(metadata.broker).toBe(
        metadata.nodeId === undefined ? `${metadata.host}:${metadata.port}` : expect.any(String),
      );

      const families = new Map(admin.metrics().map((f) => [f.name, f]));
      expect(families.get('vltava_admin_calls_total')?.points).toEqual([
        { labels: { client_id: clientId, client_type: 'admin', method: 'listTopics' }, value: 1 },
      ]);
      const written = families
        .get('vltava_connection_requests_total')!
        .points.reduce((sum, point) => sum + point.value, 0);
      expect(written).toBe(payloads.length);
      const sent = families
        .get('vltava_connection_request_bytes_total')!
        .points.reduce((sum, point) => sum + point.value, 0);
      expect(sent).toBe(payloads.reduce((sum, p) => sum + p.requestBytes, 0));
    } finally {
      await admin.close();
    }
  });

  it('tells apart two clients that share a clientId by their instance', async () => {
    const clientId = uniqueClientId();
    const requests = record(diagnosticChannels.request, clientId);
    const first = new Admin({ brokers: kafkaBrokers(), clientId, logLevel: 'error' });
    const second = new Admin({ brokers: kafkaBrokers(), clientId, logLevel: 'error' });
    try {
      expect(first.instance).toMatch(/^admin-\d+$/);
      expect(second.instance).toMatch(/^admin-\d+$/);
      expect(second.instance).not.toBe(first.instance);
      await first.listTopics();
      const afterFirst = requests.length;
      expect(afterFirst).toBeGreaterThan(0);
      await second.listTopics();
      const instances = requests.map(([, payload]) => payload.clientInstance);
      expect(new Set(instances.slice(0, afterFirst))).toEqual(new Set([first.instance]));
      expect(new Set(instances.slice(afterFirst))).toEqual(new Set([second.instance]));
    } finally {
      await Promise.all([first.close(), second.close()]);
    }
  });

  it('traces a request that fails, with its error, and the close that failed it', async () => {
    const clientId = uniqueClientId();
    const requests = record(diagnosticChannels.request, clientId);
    const closes: ClosePayload[] = [];
    stops.push(diagnosticChannels.close.subscribe((p) => p.clientId === clientId && closes.push(p)));
    const connection = connectionTo(kafkaBrokers()[0]!, clientId);
    await connection.connect();
    const pending = connection.send(Metadata, metadataRequest);
    connection.close();
    await expect(pending).rejects.toBeInstanceOf(ClientClosedError);
    const failed = requests.filter(([, p]) => p.apiName === 'Metadata');
    expect(failed.map(([event]) => event)).toEqual(['start', 'end', 'error', 'asyncStart', 'asyncEnd']);
    expect(failed[0]![1].error).toBeInstanceOf(ClientClosedError);
    expect(closes).toEqual([expect.objectContaining({ clientId, error: undefined, wasReady: true, nodeId: 1 })]);
  });

  it('traces a connection that cannot be made, with a ConnectionError', async () => {
    const clientId = uniqueClientId();
    const connects = record(diagnosticChannels.connect, clientId);
    // A port that was free a moment ago: nothing listens there.
    const server = createServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const port = (server.address() as { port: number }).port;
    await new Promise<void>((resolve) => server.close(() => resolve()));
    const connection = connectionTo(`127.0.0.1:${port}`, clientId);
    await expect(connection.connect()).rejects.toBeInstanceOf(ConnectionError);
    expect(connects.map(([event]) => event)).toEqual(['start', 'end', 'error', 'asyncStart', 'asyncEnd']);
    expect(connects[0]![1].error).toBeInstanceOf(ConnectionError);
    expect(connection.stats.connectionFailures).toBe(1);
  });

  it('traces SASL authentication inside the connection setup', async () => {
    const clientId = uniqueClientId();
    const connects = record(diagnosticChannels.connect, clientId);
    const authentications = record(diagnosticChannels.authenticate, clientId);
    const requests = record(diagnosticChannels.request, clientId);
    const { username, password } = kafkaSasl().users.find((u) => !u.superUser) ?? kafkaSasl().users[0]!;
    const connection = connectionTo(kafkaSasl().brokers[0]!, clientId, {
      sasl: createSaslMechanism({ mechanism: 'SCRAM-SHA-512', username, password }),
    });
    await connection.connect();
    expect(authentications.map(([event]) => event)).toEqual(['start', 'end', 'asyncStart', 'asyncEnd']);
    const authentication: AuthenticatePayload = authentications[0]![1];
    expect(authentication).toMatchObject({ saslMechanism: 'SCRAM-SHA-512', reauthentication: false });
    expect(authentication.sessionLifetimeMs).toBeGreaterThanOrEqual(0);
    expect(connects[0]![1].saslMechanism).toBe('SCRAM-SHA-512');
    // Authentication runs inside the connect trace: it starts after connect's start and ends before its end.
    const names = requests.filter(([event]) => event === 'start').map(([, p]) => p.apiName);
    expect(names).toEqual(['ApiVersions', 'SaslHandshake', 'SaslAuthenticate', 'SaslAuthenticate']);
  });
});
