import { describe, expect, it } from 'vitest';
import { METRIC_CATALOGUE } from '../metrics/metric-catalogue.js';
import { producerMetricFamilies } from './producer-metric-families.js';
import { ProducerMetrics } from './producer-metrics.js';

describe('producerMetricFamilies', () => {
  it("turns every metric of today's Producer.metrics() into a declared family, errors by code together", () => {
    const metrics = new ProducerMetrics();
    metrics.recordsSent = 10;
    metrics.batchSent(2048, 10);
    metrics.requestCompleted(12);
    metrics.error('ERR_A');
    metrics.error('ERR_B');
    const families = producerMetricFamilies(
      metrics.snapshot({
        bufferBytesInUse: 100,
        bufferBytesTotal: 1000,
        bufferWaiters: 0,
        requestsInFlight: 1,
        batchesIncomplete: 1,
      }),
    );
    const declared = new Set(METRIC_CATALOGUE.filter((m) => m.client === 'producer').map((m) => m.name));
    expect(new Set(families.map((f) => f.name))).toEqual(declared);
    const byName = new Map(families.map((f) => [f.name, f]));
    expect(byName.get('vltava_producer_records_sent_total')?.points).toEqual([{ labels: {}, value: 10 }]);
    expect(byName.get('vltava_producer_buffer_limit_bytes')?.points[0]?.value).toBe(1000);
    expect(byName.get('vltava_producer_errors_total')?.points.map((p) => p.labels.code)).toEqual(['ERR_A', 'ERR_B']);
    const latency = byName.get('vltava_producer_request_latency_seconds')?.points[0];
    expect(latency?.count).toBe(1);
    expect(latency?.sum).toBeCloseTo(0.012);
  });
});
