import { type Context, context, propagation, ROOT_CONTEXT } from '@opentelemetry/api';
import type { TracedRecord } from '@vltava/core';
import { recordHeadersGetter } from './header-carrier.js';

/** The context of each record's open process span, set while it is processed. */
const processing = new WeakMap<TracedRecord, Context>();

/** Notes the context of a record's process span (`vltava:consumer:process` start) until it ends. */
export function enterProcessing(record: TracedRecord, processContext: Context): void {
  processing.set(record, processContext);
}

/** Forgets it (`vltava:consumer:process` end). */
export function leaveProcessing(record: TracedRecord): void {
  processing.delete(record);
}

/** The producer's context a record carries in its headers (W3C trace context), on an empty context. */
export function producerContext(record: TracedRecord): Context {
  return propagation.extract(ROOT_CONTEXT, record.headers, recordHeadersGetter);
}

/**
 * The context to process a consumed record in: its process span while one is open (so what the code sends or
 * traces is a child of it), else the producer's context from its headers, else the active context.
 *
 * A `for await` body runs in the caller's own context, which no library can change; run it in the record's:
 *
 * ```ts
 * for await (const record of consumer) {
 *   await context.with(recordContext(record), () => handle(record));
 * }
 * ```
 */
export function recordContext(record: TracedRecord): Context {
  const open = processing.get(record);
  if (open !== undefined) return open;
  const extracted = producerContext(record);
  return extracted === ROOT_CONTEXT ? context.active() : extracted;
}
