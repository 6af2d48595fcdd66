/**
 * `@vltava/otel`: OpenTelemetry for Vltava, built on the diagnostics channels of `@vltava/core`. Spans following the
 * messaging semantic conventions (send, poll, process, commit), W3C trace context in record headers, and metrics as
 * OpenTelemetry instruments.
 *
 * @packageDocumentation
 */

export { ATTR, errorType } from './attributes.js';
export { addedHeadersSetter, recordHeadersGetter } from './header-carrier.js';
export {
  INSTRUMENTATION_NAME,
  INSTRUMENTATION_VERSION,
  instrumentVltava,
  type VltavaInstrumentation,
  type VltavaInstrumentationOptions,
} from './instrumentation.js';
export { producerContext, recordContext } from './record-context.js';
