import type { TextMapGetter, TextMapSetter } from '@opentelemetry/api';
import type { TracedHeader, TracedRecord } from '@vltava/core';

/** Writes propagation fields (`traceparent`, `tracestate`, ...) as record headers a subscriber adds to a send. */
export const addedHeadersSetter: TextMapSetter<TracedHeader[]> = {
  set(carrier, key, value) {
    for (let i = carrier.length - 1; i >= 0; i--) if (carrier[i]!.key === key) carrier.splice(i, 1);
    carrier.push({ key, value });
  },
};

/** Reads propagation fields from a consumed record's headers (the last value of a repeated key wins). */
export const recordHeadersGetter: TextMapGetter<TracedRecord['headers']> = {
  keys(carrier) {
    return [...new Set(carrier.map((header) => header.key))];
  },
  get(carrier, key) {
    for (let i = carrier.length - 1; i >= 0; i--) {
      const header = carrier[i]!;
      if (header.key === key) return header.value === null ? undefined : header.value.toString('utf8');
    }
    return undefined;
  },
};
