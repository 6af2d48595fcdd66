import { describe, expect, it } from 'vitest';
import type { MetricFamily } from './metric-family.js';
import { familiesOf, type LegacyMetric, toPrometheusText } from './prometheus-text.js';

/** Checks every line against the text exposition format 0.0.4 and returns the samples by series. */
function parse(text: string): Map<string, number> {
  const samples = new Map<string, number>();
  const typed = new Set<string>();
  expect(text.endsWith('\n')).toBe(true);
  for (const line of text.slice(0, -1).split('\n')) {
    if (line.startsWith('# HELP ')) continue;
    const type = /^# TYPE ([a-zA-Z_:][a-zA-Z0-9_:]*) (counter|gauge|histogram)$/.exec(line);
    if (type !== null) {
      expect(typed.has(type[1]!)).toBe(false); // one TYPE per family
      typed.add(type[1]!);
      continue;
    }
    const sample = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(\{(?:[a-zA-Z_][a-zA-Z0-9_]*="(?:[^"\\\n]|\\.)*",?)*\})? (\S+)$/.exec(
      line,
    );
    expect(sample, line).not.toBeNull();
    const value = sample![3]!;
    samples.set(`${sample![1]}${sample![2] ?? ''}`, value === '+Inf' ? Number.POSITIVE_INFINITY : Number(value));
  }
  return samples;
}

describe('toPrometheusText', () => {
  const families: MetricFamily[] = [
    {
      name: 'vltava_consumer_records_lag',
      type: 'gauge',
      unit: 'records',
      help: 'Lag\nwith a \\ in it',
      points: [
        { labels: { topic: 'a"b', partition: '0' }, value: 5 },
        { labels: { topic: 'line\nbreak', partition: '1' }, value: 0 },
      ],
    },
    {
      name: 'vltava_admin_call_duration_seconds',
      type: 'histogram',
      unit: 'seconds',
      help: 'Duration',
      points: [
        {
          labels: { method: 'listTopics' },
          value: 3,
          buckets: [
            { le: 0.1, count: 2 },
            { le: Number.POSITIVE_INFINITY, count: 3 },
          ],
          sum: 0.45,
          count: 3,
        },
      ],
    },
  ];

  it('writes valid exposition text: HELP and TYPE once, escaped labels, histogram buckets, sum and count', () => {
    const text = toPrometheusText(families);
    const samples = parse(text);
    expect(samples.get('vltava_consumer_records_lag{topic="a\\"b",partition="0"}')).toBe(5);
    expect(samples.get('vltava_consumer_records_lag{topic="line\\nbreak",partition="1"}')).toBe(0);
    expect(samples.get('vltava_admin_call_duration_seconds_bucket{method="listTopics",le="0.1"}')).toBe(2);
    expect(samples.get('vltava_admin_call_duration_seconds_bucket{method="listTopics",le="+Inf"}')).toBe(3);
    expect(samples.get('vltava_admin_call_duration_seconds_sum{method="listTopics"}')).toBe(0.45);
    expect(samples.get('vltava_admin_call_duration_seconds_count{method="listTopics"}')).toBe(3);
    expect(text).toContain('# HELP vltava_consumer_records_lag Lag\\nwith a \\\\ in it\n');
  });

  it('gathers the series of one name together, even when they come apart (legacy one-series metrics)', () => {
    const legacy: LegacyMetric[] = [
      {
        name: 'vltava_producer_errors_total',
        type: 'counter',
        help: 'E',
        unit: 'errors',
        labels: { code: 'A' },
        value: 1,
      },
      {
        name: 'vltava_producer_records_sent_total',
        type: 'counter',
        help: 'S',
        unit: 'records',
        labels: {},
        value: 7,
      },
      {
        name: 'vltava_producer_errors_total',
        type: 'counter',
        help: 'E',
        unit: 'errors',
        labels: { code: 'B' },
        value: 2,
      },
    ];
    expect(familiesOf(legacy).map((f) => [f.name, f.points.length])).toEqual([
      ['vltava_producer_errors_total', 2],
      ['vltava_producer_records_sent_total', 1],
    ]);
    const lines = toPrometheusText(legacy).trim().split('\n');
    expect(lines).toEqual([
      '# HELP vltava_producer_errors_total E',
      '# TYPE vltava_producer_errors_total counter',
      'vltava_producer_errors_total{code="A"} 1',
      'vltava_producer_errors_total{code="B"} 2',
      '# HELP vltava_producer_records_sent_total S',
      '# TYPE vltava_producer_records_sent_total counter',
      'vltava_producer_records_sent_total 7',
    ]);
  });

  it('writes nothing for no metrics', () => {
    expect(toPrometheusText([])).toBe('');
  });
});
