import type { SpanKind } from '@opentelemetry/api';
import type { ReadableSpan } from '@opentelemetry/sdk-trace-base';
import { afterEach, beforeEach, expect } from 'vitest';
import { instrumentVltava, type VltavaInstrumentation } from '../../src/index.js';
import { otelSdk } from './otel-sdk.js';

/** The SDK of {@link otelSdk}. */
export type OtelSdk = ReturnType<typeof otelSdk>;

/**
 * Around each test of the file: a fresh {@link otelSdk} with Vltava's instrumentation on it (`settings` added to
 * the providers), disabled and shut down after the test. `use` receives both before each test.
 */
export function instrumentAroundEach(
  use: (sdk: OtelSdk, instrumentation: VltavaInstrumentation) => void,
  settings: Omit<Parameters<typeof instrumentVltava>[0], 'tracerProvider' | 'meterProvider'> = {},
): void {
  let current: { sdk: OtelSdk; instrumentation: VltavaInstrumentation } | undefined;
  beforeEach(() => {
    const sdk = otelSdk();
    const instrumentation = instrumentVltava({
      tracerProvider: sdk.tracerProvider,
      meterProvider: sdk.meterProvider,
      ...settings,
    });
    current = { sdk, instrumentation };
    use(sdk, instrumentation);
  });
  afterEach(async () => {
    current?.instrumentation.disable();
    await current?.sdk.shutdown();
    current = undefined;
  });
}

/** The one span named `name` with `kind` (fails the test, listing the spans, when there is not exactly one). */
export function onlySpan(spans: readonly ReadableSpan[], name: string, kind: SpanKind): ReadableSpan {
  const found = spans.filter((s) => s.name === name && s.kind === kind);
  expect(
    found.map((s) => s.name),
    `${name} (${spans.map((s) => s.name).join(', ')})`,
  ).toEqual([name]);
  return found[0]!;
}
