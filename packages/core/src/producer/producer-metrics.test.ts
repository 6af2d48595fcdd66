import { describe, expect, it } from 'vitest';
import { ProducerMetrics, toPrometheusText } from './producer-metrics.js';

describe('ProducerMetrics', () => {
  it('counts per batch and per request and exposes Prometheus text', () => {
    const metrics = new ProducerMetrics();
    metrics.batchSent(1000, 10);
    metrics.batchSent(20_000, 200);
    metrics.requestCompleted(3);
    metrics.requestCompleted(40);
    metrics.recordsSent += 210;
    metrics.error('NOT_LEADER_OR_FOLLOWER');
    metrics.error('NOT_LEADER_OR_FOLLOWER');
    const snapshot = metrics.snapshot({
      bufferBytesInUse: 123,
      bufferBytesTotal: 1000,
      bufferWaiters: 0,
      requestsInFlight: 1,
      batchesIncomplete: 2,
    });
    const byName = (name: string) => snapshot.filter((m) => m.name === name);
    expect(byName('vltava_producer_records_sent_total')[0]!.value).toBe(210);
    expect(byName('vltava_producer_bytes_sent_total')[0]!.value).toBe(21_000);
    const latency = byName('vltava_producer_request_latency_seconds')[0]!;
    expect(latency).toMatchObject({ type: 'histogram', count: 2 });
    expect(latency.sum).toBeCloseTo(0.043, 9);
    expect(latency.buckets!.find((b) => b.le === 0.005)!.count).toBe(1);
    expect(latency.buckets!.at(-1)).toEqual({ le: Number.POSITIVE_INFINITY, count: 2 });
    expect(byName('vltava_producer_errors_total')[0]).toMatchObject({
      labels: { code: 'NOT_LEADER_OR_FOLLOWER' },
      value: 2,
    });
    expect(byName('vltava_producer_buffer_bytes_in_use')[0]!.value).toBe(123);

    const text = toPrometheusText(snapshot);
    expect(text).toContain(
      '# TYPE vltava_producer_records_sent_total counter\nvltava_producer_records_sent_total 210\n',
    );
    expect(text).toContain('vltava_producer_batch_size_bytes_bucket{le="1024"} 1');
    expect(text).toContain('vltava_producer_batch_size_bytes_bucket{le="+Inf"} 2');
    expect(text).toContain('vltava_producer_errors_total{code="NOT_LEADER_OR_FOLLOWER"} 2');
  });
});
