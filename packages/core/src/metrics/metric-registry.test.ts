import { describe, expect, it } from 'vitest';
import type { MetricFamily } from './metric-family.js';
import { MetricRegistry } from './metric-registry.js';

const family = (name: string, value: number, type: MetricFamily['type'] = 'counter'): MetricFamily => ({
  name,
  type,
  unit: 'records',
  help: 'h',
  points: [{ labels: {}, value }],
});

describe('MetricRegistry', () => {
  it('reads every source at collection, labels its series, and merges families of one name', () => {
    const registry = new MetricRegistry();
    let sent = 1;
    registry.register(() => [family('vltava_producer_records_sent_total', sent)], { client_id: 'a' });
    const unregister = registry.register(() => [family('vltava_producer_records_sent_total', 10)], {
      client_id: 'b',
    });
    sent = 2;
    const [merged] = registry.collect();
    expect(merged?.points).toEqual([
      { labels: { client_id: 'a' }, value: 2 },
      { labels: { client_id: 'b' }, value: 10 },
    ]);
    unregister();
    expect(registry.collect()[0]?.points).toHaveLength(1);
  });

  it('keeps a series label over the registration label of the same name', () => {
    const registry = new MetricRegistry();
    registry.register(
      () => [{ ...family('vltava_admin_calls_total', 1), points: [{ labels: { client_id: 'own' }, value: 1 }] }],
      { client_id: 'outer', app: 'x' },
    );
    expect(registry.collect()[0]?.points[0]?.labels).toEqual({ client_id: 'own', app: 'x' });
  });

  it('refuses one name reported with two types', () => {
    const registry = new MetricRegistry();
    registry.register(() => [family('vltava_x_total', 1, 'counter')]);
    registry.register(() => [family('vltava_x_total', 1, 'gauge')]);
    expect(() => registry.collect()).toThrow(/counter and as a gauge/);
  });
});
