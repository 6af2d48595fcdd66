/** Throttling of one API on one connection. */
export interface ApiThrottle {
  /** Responses that carried a throttle time. */
  count: number;
  /** Their throttle times added up, in milliseconds. */
  totalMs: number;
}

/**
 * Counters of the connections to one broker for one purpose, kept across reconnections: requests and bytes each
 * way, and the quota throttling the broker reported (KIP-219). A few integer additions per request; the throttle
 * figures move only when a response carries a throttle time.
 *
 * Read by the metrics (`vltava_connection_*`, see docs/METRICS.md); Java's per-node `request-total`,
 * `outgoing-byte-total`, `incoming-byte-total` and the client's `produce-throttle-time-*`, `fetch-throttle-time-*`.
 */
export class ConnectionStats {
  /** Connections set up (ready). */
  connections = 0;
  /** Connection attempts that failed. */
  connectionFailures = 0;
  /** Requests written to the socket. */
  requests = 0;
  /** Bytes of requests written (frames, size prefix included). */
  bytesSent = 0;
  /** Responses received. */
  responses = 0;
  /** Bytes of responses received (frames, size prefix included). */
  bytesReceived = 0;
  /** Responses that carried a throttle time. */
  throttledResponses = 0;
  /** Throttle times reported, added up, in milliseconds. */
  throttleTimeMs = 0;
  /** The longest throttle time reported, in milliseconds. */
  throttleTimeMaxMs = 0;
  /** `Date.now()` until which the current connection holds its requests; 0 when it does not. */
  throttledUntil = 0;
  /** Throttling by API name. */
  readonly throttleByApi = new Map<string, ApiThrottle>();

  /** A response of `apiName` carried `ms` of throttle time. */
  throttled(apiName: string, ms: number): void {
    this.throttledResponses++;
    this.throttleTimeMs += ms;
    if (ms > this.throttleTimeMaxMs) this.throttleTimeMaxMs = ms;
    const api = this.throttleByApi.get(apiName);
    if (api === undefined) this.throttleByApi.set(apiName, { count: 1, totalMs: ms });
    else {
      api.count++;
      api.totalMs += ms;
    }
  }
}
