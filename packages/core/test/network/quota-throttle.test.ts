import { afterEach, describe, expect, it } from 'vitest';
import { diagnosticChannels } from '../../src/diagnostics/channels.js';
import type { RequestPayload, ThrottlePayload } from '../../src/diagnostics/payloads.js';
import { Connection } from '../../src/network/connection.js';
import { Metadata } from '../../src/protocol/messages/generated/index.js';
import { FakeBroker, type FakeRequest } from '../support/fake-broker.js';

// KIP-219 against a fake broker that answers Metadata with a throttle time on demand: the connection must hold
// its next requests for that long (when the version leaves throttling to the client), and only then.

const open: Connection[] = [];
const fakes: FakeBroker[] = [];

afterEach(async () => {
  for (const connection of open.splice(0)) connection.close();
  for (const fake of fakes.splice(0)) {
    await fake.stop();
    expect(fake.failures).toEqual([]);
  }
});

const metadataRequest = { topics: [], allowAutoTopicCreation: false, includeTopicAuthorizedOperations: false };

/** A fake broker whose Metadata answers carry the throttle times of `throttles`, in turn (then 0). */
async function throttlingBroker(throttles: number[]): Promise<{ fake: FakeBroker; arrivals: Map<number, number> }> {
  const arrivals = new Map<number, number>();
  const fake = await FakeBroker.start((request: FakeRequest) => {
    if (request.apiName !== 'Metadata') return undefined;
    arrivals.set(request.correlationId, Date.now());
    return {
      response: {
        throttleTimeMs: throttles.shift() ?? 0,
        brokers: [{ nodeId: 0, host: '127.0.0.1', port: fake.port, rack: null }],
        clusterId: 'fake-cluster',
        controllerId: 0,
        topics: [],
        clusterAuthorizedOperations: -2147483648,
        errorCode: 0,
      },
    };
  });
  fakes.push(fake);
  return { fake, arrivals };
}

function connectionTo(fake: FakeBroker, requestTimeoutMs = 10_000): Connection {
  const connection = new Connection({
    host: '127.0.0.1',
    port: fake.port,
    nodeId: 0,
    clientId: 'vltava-throttle-test',
    connectTimeoutMs: 10_000,
    requestTimeoutMs,
    maxInFlightRequests: 5,
    receiveMessageMaxBytes: 1024 * 1024,
  });
  open.push(connection);
  return connection;
}

describe('Connection under a quota (KIP-219)', () => {
  it('sends nothing more until the throttle time has passed, and reports it in stats and channels', async () => {
    const { fake, arrivals } = await throttlingBroker([300]);
    const connection = connectionTo(fake);
    await connection.connect();
    const requests: RequestPayload[] = [];
    const throttles: ThrottlePayload[] = [];
    const stopRequests = diagnosticChannels.request.subscribe({ asyncEnd: (p) => requests.push(p) });
    const stopThrottles = diagnosticChannels.throttle.subscribe((p) => throttles.push(p));
    try {
      await connection.send(Metadata, metadataRequest); // answered with 300 ms of throttle
      const answeredAt = Date.now();
      expect(connection.throttled).toBe(true);
      await Promise.all([connection.send(Metadata, metadataRequest), connection.send(Metadata, metadataRequest)]);
      const [first, ...held] = [...arrivals.values()];
      expect(first).toBeLessThanOrEqual(answeredAt);
      for (const arrival of held) expect(arrival).toBeGreaterThanOrEqual(answeredAt + 300 - 5); // timer granularity
      expect(connection.throttled).toBe(false);
    } finally {
      stopRequests();
      stopThrottles();
    }
    expect(connection.stats).toMatchObject({ throttledResponses: 1, throttleTimeMs: 300, throttleTimeMaxMs: 300 });
    expect(connection.stats.throttleByApi.get('Metadata')).toEqual({ count: 1, totalMs: 300 });
    expect(requests.map((r) => [r.apiName, r.throttleTimeMs, r.clientThrottled])).toEqual([
      ['Metadata', 300, true],
      ['Metadata', 0, false],
      ['Metadata', 0, false],
    ]);
    // The held requests were written after the throttle ended; their duration counts from the write.
    expect(requests[1]!.writtenAt! - requests[0]!.writtenAt!).toBeGreaterThanOrEqual(300 - 5);
    expect(requests[1]!.durationMs).toBeLessThan(300);
    expect(throttles).toEqual([
      expect.objectContaining({ apiName: 'Metadata', throttleTimeMs: 300, clientThrottled: true, nodeId: 0 }),
    ]);
  });

  it('does not hold requests after a throttled response of a version the broker delays itself (Metadata v5)', async () => {
    const { fake, arrivals } = await throttlingBroker([2_000]);
    const connection = connectionTo(fake);
    await connection.connect();
    const started = Date.now();
    await connection.send(Metadata, metadataRequest, { maxVersion: 5 });
    expect(connection.throttled).toBe(false);
    await connection.send(Metadata, metadataRequest, { maxVersion: 5 });
    expect(Date.now() - started).toBeLessThan(1_000);
    expect(arrivals.size).toBe(2);
    expect(connection.stats.throttledResponses).toBe(1);
  });

  it('does not count the time held against the timeout of a request not yet written', async () => {
    const { fake } = await throttlingBroker([600]);
    const connection = connectionTo(fake, 250);
    await connection.connect();
    await connection.send(Metadata, metadataRequest);
    const started = Date.now();
    const response = await connection.send(Metadata, metadataRequest); // held 600 ms, timeout 250 ms
    expect(response.clusterId).toBe('fake-cluster');
    expect(Date.now() - started).toBeGreaterThanOrEqual(600 - 5 - 50);
  });
});
