import { diag, type Meter, type Tracer } from '@opentelemetry/api';

/** What every subscriber of one instrumentation shares. */
export interface Settings {
  readonly tracer: Tracer;
  readonly meter: Meter;
  /** Spans for connection setup, SASL and every request (many). */
  readonly requestSpans: boolean;
  /** Spans for admin calls. */
  readonly adminSpans: boolean;
  /** Inject the trace context into produced records' headers. */
  readonly propagate: boolean;
  /** Record string keys (and bytes as UTF-8) as `messaging.kafka.message.key`. */
  readonly recordKeys: boolean;
}

/** Bucket boundaries for durations in seconds: 1 ms to 30 s. */
export const SECONDS_BOUNDARIES = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30];

/**
 * A channel handler that never throws: Node reports a throwing `diagnostics_channel` subscriber as an uncaught
 * exception, and telemetry must never take an application down. Failures go to OpenTelemetry's `diag` logger.
 */
export function safe<P>(what: string, handler: (payload: P) => void): (payload: P) => void {
  return (payload) => {
    try {
      handler(payload);
    } catch (error) {
      diag.error(`@vltava/otel: ${what} failed`, error);
    }
  };
}
