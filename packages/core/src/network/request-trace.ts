import type { BrokerEndpoint, RequestPayload } from '../diagnostics/payloads.js';

/**
 * The payload of one request on the `vltava:request` tracing channel. Made only when the channel has a
 * subscriber; the connection fills in the write time, the response size, the duration and the throttle time
 * before the request settles.
 */
export class RequestTrace implements RequestPayload {
  readonly clientId: string;
  readonly clientInstance: string;
  readonly connectionId: number;
  readonly host: string;
  readonly port: number;
  readonly nodeId: number | undefined;
  readonly broker: string;
  readonly apiKey: number;
  readonly apiName: string;
  readonly apiVersion: number;
  readonly correlationId: number;
  readonly requestBytes: number;
  readonly expectResponse: boolean;
  readonly queuedAt: number;
  writtenAt: number | undefined = undefined;
  durationMs: number | undefined = undefined;
  responseBytes = 0;
  throttleTimeMs = 0;
  clientThrottled = false;
  result?: unknown;
  error?: unknown;
  private done = false;

  constructor(
    endpoint: BrokerEndpoint,
    api: { readonly apiKey: number; readonly name: string },
    apiVersion: number,
    correlationId: number,
    chunks: readonly Buffer[],
    expectResponse: boolean,
  ) {
    this.clientId = endpoint.clientId;
    this.clientInstance = endpoint.clientInstance;
    this.connectionId = endpoint.connectionId;
    this.host = endpoint.host;
    this.port = endpoint.port;
    this.nodeId = endpoint.nodeId;
    this.broker = endpoint.broker;
    this.apiKey = api.apiKey;
    this.apiName = api.name;
    this.apiVersion = apiVersion;
    this.correlationId = correlationId;
    let bytes = 0;
    for (const chunk of chunks) bytes += chunk.length;
    this.requestBytes = bytes;
    this.expectResponse = expectResponse;
    this.queuedAt = performance.now();
  }

  /** The request was written to the socket. */
  written(): void {
    this.writtenAt = performance.now();
  }

  /** The request completed (response, write callback, failure): fixes its duration if it was written. Once. */
  completed(responseBytes: number): void {
    if (this.done) return;
    this.done = true;
    this.responseBytes = responseBytes;
    if (this.writtenAt !== undefined) this.durationMs = performance.now() - this.writtenAt;
  }
}
