import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { METRIC_CATALOGUE, metricFamily } from './metric-catalogue.js';
import { metricTablesMarkdown } from './metric-table.js';

describe('METRIC_CATALOGUE', () => {
  it('declares every name once, in Prometheus style, prefixed with the client', () => {
    const names = METRIC_CATALOGUE.map((m) => m.name);
    expect(new Set(names).size).toBe(names.length);
    for (const m of METRIC_CATALOGUE) {
      expect(m.name).toMatch(new RegExp(`^vltava_${m.client}_[a-z_]+$`));
      // Counters end in _total; seconds and bytes are base units named in the metric.
      expect(m.name.endsWith('_total')).toBe(m.type === 'counter');
      if (m.unit === 'seconds') expect(m.name).toMatch(/_seconds(_total)?$/);
      if (m.unit === 'bytes') expect(m.name).toMatch(/bytes/);
      for (const label of m.labels) expect(label).toMatch(/^[a-z_]+$/);
    }
  });

  it('names no OpenTelemetry instrument twice', () => {
    const otel = METRIC_CATALOGUE.flatMap((m) => (m.otel === undefined ? [] : [m.otel.name]));
    expect(new Set(otel).size).toBe(otel.length);
  });

  it('is the table of docs/METRICS.md', () => {
    const doc = readFileSync(fileURLToPath(new URL('../../../../docs/METRICS.md', import.meta.url)), 'utf8');
    const start = doc.indexOf('<!-- metric tables: generated from METRIC_CATALOGUE -->');
    const end = doc.indexOf('<!-- end of metric tables -->');
    expect(start).toBeGreaterThan(0);
    // Compared cell by cell: the formatter pads markdown tables.
    const cells = (markdown: string) =>
      markdown
        .split('\n')
        .map((line) => line.trim())
        .filter((line) => line !== '' && !/^\|[\s|:-]+\|$/.test(line))
        .map((line) =>
          line.startsWith('|')
            ? line
                .split('|')
                .slice(1, -1)
                .map((cell) => cell.trim())
            : [line],
        );
    expect(cells(doc.slice(doc.indexOf('\n', start) + 1, end))).toEqual(cells(metricTablesMarkdown()));
  });

  it('builds a family of a declared metric, and refuses an undeclared one', () => {
    const family = metricFamily('vltava_consumer_records_lag', [{ labels: { topic: 't', partition: '0' }, value: 3 }]);
    expect(family).toMatchObject({ type: 'gauge', unit: 'records', points: [{ value: 3 }] });
    expect(() => metricFamily('vltava_consumer_nonsense', [])).toThrow(/not declared/);
  });
});
