import { type MeterProvider, metrics, type TracerProvider, trace } from '@opentelemetry/api';
import type { MetricRegistry } from '@vltava/core';
import { instrumentClients } from './client-instrumentation.js';
import { instrumentMessaging } from './messaging-instrumentation.js';
import { observeRegistry } from './registry-metrics.js';
import type { Settings } from './settings.js';

/** The instrumentation scope name of the tracer and the meter. */
export const INSTRUMENTATION_NAME = '@vltava/otel';
/** Its version. */
export const INSTRUMENTATION_VERSION = '0.1.0';

/** Options of {@link instrumentVltava}. */
export interface VltavaInstrumentationOptions {
  /** Where spans go. Default: the global tracer provider (`trace.setGlobalTracerProvider`). */
  readonly tracerProvider?: TracerProvider;
  /** Where metrics go. Default: the global meter provider. */
  readonly meterProvider?: MeterProvider;
  /**
   * Spans for each connection setup, SASL exchange and request (`Produce`, `Fetch`, ...), as CLIENT spans under the
   * operation that made them. Many: default false. The request and throttle instruments are recorded either way.
   */
  readonly requestSpans?: boolean;
  /** Spans for admin client calls. Default true. */
  readonly adminSpans?: boolean;
  /** Inject W3C trace context (the global propagator) into produced records' headers. Default true. */
  readonly propagate?: boolean;
  /** Record keys as `messaging.kafka.message.key` (strings, bytes as UTF-8). Default true; keys can be personal data. */
  readonly recordKeys?: boolean;
  /**
   * A registry whose metrics `METRIC_CATALOGUE` maps to OpenTelemetry instruments (consumer lag, buffer use) are
   * reported as observable instruments.
   */
  readonly registry?: MetricRegistry;
}

/** A running instrumentation. */
export interface VltavaInstrumentation {
  /** Unsubscribes from every channel and stops observing the registry. */
  disable(): void;
}

/**
 * Instruments every Vltava client in the process through its `node:diagnostics_channel` channels: no module
 * patching, no loader hooks, nothing to do before importing `@vltava/core`. Spans and metrics follow
 * OpenTelemetry's messaging semantic conventions; see the package README for the list.
 *
 * ```ts
 * import { instrumentVltava } from '@vltava/otel';
 * const instrumentation = instrumentVltava(); // global providers and propagator
 * ```
 */
export function instrumentVltava(options: VltavaInstrumentationOptions = {}): VltavaInstrumentation {
  const tracerProvider = options.tracerProvider ?? trace.getTracerProvider();
  const meterProvider = options.meterProvider ?? metrics.getMeterProvider();
  const settings: Settings = {
    tracer: tracerProvider.getTracer(INSTRUMENTATION_NAME, INSTRUMENTATION_VERSION),
    meter: meterProvider.getMeter(INSTRUMENTATION_NAME, INSTRUMENTATION_VERSION),
    requestSpans: options.requestSpans ?? false,
    adminSpans: options.adminSpans ?? true,
    propagate: options.propagate ?? true,
    recordKeys: options.recordKeys ?? true,
  };
  const stops = [instrumentClients(settings), instrumentMessaging(settings)];
  if (options.registry !== undefined) stops.push(observeRegistry(settings.meter, options.registry));
  let enabled = true;
  return {
    disable() {
      if (!enabled) return;
      enabled = false;
      for (const stop of stops) stop();
    },
  };
}
