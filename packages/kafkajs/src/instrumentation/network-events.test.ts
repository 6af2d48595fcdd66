import { ConnectionError } from '@vltava/core';
import { describe, expect, it } from 'vitest';
import { diagnosticChannels, type RequestPayload, RequestTimeoutError } from '../core.js';
import { NetworkEvents } from './network-events.js';

const NAMES = { REQUEST: 'x.network.request', REQUEST_TIMEOUT: 'x.network.request_timeout' };

/** A settled request as core's connection publishes it (the fields NetworkEvents reads). */
function request(clientInstance: string, fields: Partial<RequestPayload> = {}): RequestPayload {
  const queuedAt = performance.now() - 30;
  return {
    clientId: 'app',
    clientInstance,
    connectionId: 1,
    host: '127.0.0.1',
    port: 9092,
    nodeId: 1,
    broker: '1@127.0.0.1:9092',
    apiKey: 3,
    apiName: 'Metadata',
    apiVersion: 12,
    correlationId: 7,
    requestBytes: 40,
    expectResponse: true,
    queuedAt,
    writtenAt: queuedAt + 10,
    durationMs: 20,
    responseBytes: 300,
    throttleTimeMs: 0,
    clientThrottled: false,
    ...fields,
  } as RequestPayload;
}

/** Publishes a request's end on core's channel as a settled request does. */
function settle(payload: RequestPayload): void {
  if (payload.error === undefined) diagnosticChannels.request.channel.asyncEnd.publish(payload);
  else diagnosticChannels.request.channel.error.publish(payload);
}

describe('NetworkEvents', () => {
  it('forwards its own requests in KafkaJS shape, timeouts as request_timeout, and nothing once not listening', () => {
    const seen: Array<[string, Record<string, unknown>]> = [];
    const events = new NetworkEvents(NAMES, (name, payload) => seen.push([name, payload as Record<string, unknown>]));
    events.own('producer-7');
    events.update(true);
    settle(request('producer-7'));
    settle(request('producer-8'));
    settle(request('producer-7', { error: new RequestTimeoutError('timed out'), writtenAt: undefined }));
    settle(request('producer-7', { error: new ConnectionError('closed') }));
    events.update(false);
    settle(request('producer-7'));

    expect(seen.map(([name]) => name)).toEqual([NAMES.REQUEST, NAMES.REQUEST_TIMEOUT]);
    const [, first] = seen[0]!;
    expect(first).toMatchObject({
      apiKey: 3,
      apiName: 'Metadata',
      apiVersion: 12,
      broker: '127.0.0.1:9092',
      clientId: 'app',
      correlationId: 7,
      pendingDuration: 10,
      duration: 20,
      size: 300,
    });
    expect(first.sentAt).toBe((first.createdAt as number) + 10);
    expect(Math.abs((first.createdAt as number) - (Date.now() - 30))).toBeLessThan(1000);
    expect(seen[1]![1]).not.toHaveProperty('duration');
  });
});
