import { context, propagation, trace } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { W3CTraceContextPropagator } from '@opentelemetry/core';
import {
  type CollectionResult,
  type DataPoint,
  type Histogram,
  MeterProvider,
  MetricReader,
} from '@opentelemetry/sdk-metrics';
import {
  BasicTracerProvider,
  InMemorySpanExporter,
  type ReadableSpan,
  SimpleSpanProcessor,
} from '@opentelemetry/sdk-trace-base';

/** A metric reader that collects on demand. */
class TestMetricReader extends MetricReader {
  protected override async onForceFlush(): Promise<void> {}
  protected override async onShutdown(): Promise<void> {}
}

/**
 * The real OpenTelemetry SDK, set up as an application would: the AsyncLocalStorage context manager and the W3C
 * propagator as globals, a tracer provider exporting to memory, a meter provider with a reader collected on demand.
 */
export function otelSdk() {
  const contextManager = new AsyncLocalStorageContextManager().enable();
  context.setGlobalContextManager(contextManager);
  propagation.setGlobalPropagator(new W3CTraceContextPropagator());
  const exporter = new InMemorySpanExporter();
  const tracerProvider = new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] });
  const reader = new TestMetricReader();
  const meterProvider = new MeterProvider({ readers: [reader] });
  return {
    tracerProvider,
    meterProvider,
    tracer: tracerProvider.getTracer('test'),
    /** Spans ended so far. */
    spans(): ReadableSpan[] {
      return exporter.getFinishedSpans();
    },
    /** Spans ended so far with this name. */
    span(name: string): ReadableSpan {
      const found = exporter.getFinishedSpans().filter((s) => s.name === name);
      if (found.length !== 1) {
        throw new Error(
          `expected one span '${name}', got ${found.length} (${exporter
            .getFinishedSpans()
            .map((s) => s.name)
            .join(', ')})`,
        );
      }
      return found[0]!;
    },
    /** The data points of one instrument, collected now. */
    async points(name: string): Promise<DataPoint<number | Histogram>[]> {
      const collected: CollectionResult = await reader.collect();
      const points: DataPoint<number | Histogram>[] = [];
      for (const scope of collected.resourceMetrics.scopeMetrics) {
        for (const metric of scope.metrics) {
          if (metric.descriptor.name === name) points.push(...(metric.dataPoints as DataPoint<number | Histogram>[]));
        }
      }
      return points;
    },
    async shutdown(): Promise<void> {
      await tracerProvider.shutdown();
      await meterProvider.shutdown();
      context.disable();
      propagation.disable();
      trace.disable();
    },
  };
}
