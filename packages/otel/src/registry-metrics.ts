import type { Attributes, Meter, Observable } from '@opentelemetry/api';
import { METRIC_CATALOGUE, type MetricLabels, type MetricRegistry } from '@vltava/core';
import { ATTR } from './attributes.js';
import { safe } from './settings.js';

/** Metric labels as OpenTelemetry attributes: the conventional names where there is one, `vltava.*` else. */
const LABEL_ATTRIBUTES: Readonly<Record<string, string>> = {
  client_id: ATTR.MESSAGING_CLIENT_ID,
  topic: ATTR.MESSAGING_DESTINATION_NAME,
  partition: ATTR.MESSAGING_DESTINATION_PARTITION_ID,
  api: ATTR.VLTAVA_API_NAME,
  group: ATTR.MESSAGING_CONSUMER_GROUP_NAME,
};

function attributesOf(labels: MetricLabels): Attributes {
  const attributes: Attributes = { [ATTR.MESSAGING_SYSTEM]: 'kafka' };
  for (const key in labels) attributes[LABEL_ATTRIBUTES[key] ?? `vltava.${key}`] = labels[key]!;
  return attributes;
}

/**
 * Reports the metrics of a {@link MetricRegistry} that `METRIC_CATALOGUE` maps to an OpenTelemetry instrument
 * (consumer lag as `kafka.consumer_group.lag`, ...): observable gauges and counters, read from one registry
 * snapshot per collection. Returns the function that stops it.
 */
export function observeRegistry(meter: Meter, registry: MetricRegistry): () => void {
  const instruments = new Map<string, Observable>();
  for (const spec of METRIC_CATALOGUE) {
    if (spec.otel === undefined || spec.type === 'histogram') continue;
    const options = { unit: spec.otel.unit, description: spec.help };
    instruments.set(
      spec.name,
      spec.type === 'counter'
        ? meter.createObservableCounter(spec.otel.name, options)
        : meter.createObservableGauge(spec.otel.name, options),
    );
  }
  const observables = [...instruments.values()];
  const callback = safe<import('@opentelemetry/api').BatchObservableResult>('registry collection', (result) => {
    for (const family of registry.collect()) {
      const instrument = instruments.get(family.name);
      if (instrument === undefined) continue;
      for (const point of family.points) result.observe(instrument, point.value, attributesOf(point.labels));
    }
  });
  meter.addBatchObservableCallback(callback, observables);
  return () => meter.removeBatchObservableCallback(callback, observables);
}
