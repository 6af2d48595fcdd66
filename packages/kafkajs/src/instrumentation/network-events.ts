import { diagnosticChannels, type RequestPayload, RequestTimeoutError } from '../core.js';

/** Where {@link NetworkEvents} delivers what it sees: the event name and its KafkaJS-shaped payload. */
export type NetworkEventSink = (eventName: string, payload: unknown) => void;

/**
 * KafkaJS's `*.network.request` and `*.network.request_timeout` events, from core's `vltava:request` tracing
 * channel: the requests of the core clients this facade client made (told apart by their `instance`, since clients
 * may share a `clientId`). Subscribed to the channel only while someone listens to either event, so a client
 * without such listeners costs nothing per request.
 *
 * KafkaJS's fields from core's payload: `broker` is `host:port`, `size` the response's bytes, `createdAt` and
 * `sentAt` `Date.now()` times (the channel's are `performance.now()`), `pendingDuration` the time from queued to
 * written, `duration` from written to the response.
 */
export class NetworkEvents {
  private readonly instances = new Set<string>();
  private unsubscribe: (() => void) | undefined;

  constructor(
    private readonly names: { readonly REQUEST: string; readonly REQUEST_TIMEOUT: string },
    private readonly sink: NetworkEventSink,
  ) {}

  /** True for the event names this forwards. */
  handles(eventName: string): boolean {
    return eventName === this.names.REQUEST || eventName === this.names.REQUEST_TIMEOUT;
  }

  /** Counts the core client (its `instance`) as one of this facade client's. */
  own(instance: string): void {
    this.instances.add(instance);
  }

  /** Subscribes to the channel when `listening` (someone listens to a network event), unsubscribes when not. */
  update(listening: boolean): void {
    if (listening && this.unsubscribe === undefined) {
      this.unsubscribe = diagnosticChannels.request.subscribe({
        asyncEnd: (request) => this.settled(request),
        error: (request) => this.settled(request),
      });
    } else if (!listening && this.unsubscribe !== undefined) {
      this.unsubscribe();
      this.unsubscribe = undefined;
    }
  }

  private settled(request: RequestPayload): void {
    if (!this.instances.has(request.clientInstance)) return;
    const nowEpoch = Date.now();
    const nowMono = performance.now();
    const createdAt = Math.round(nowEpoch - (nowMono - request.queuedAt));
    const pendingDuration =
      request.writtenAt === undefined
        ? Math.round(nowMono - request.queuedAt)
        : Math.round(request.writtenAt - request.queuedAt);
    const common = {
      apiKey: request.apiKey,
      apiName: request.apiName,
      apiVersion: request.apiVersion,
      broker: `${request.host}:${request.port}`,
      clientId: request.clientId,
      correlationId: request.correlationId,
      createdAt,
      pendingDuration,
      sentAt: createdAt + pendingDuration,
    };
    if (request.error !== undefined) {
      if (request.error instanceof RequestTimeoutError) this.sink(this.names.REQUEST_TIMEOUT, common);
      return;
    }
    this.sink(this.names.REQUEST, {
      ...common,
      duration: Math.round(request.durationMs ?? 0),
      size: request.responseBytes,
    });
  }
}
