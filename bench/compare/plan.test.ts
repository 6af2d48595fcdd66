import { describe, expect, it } from 'vitest';
import { CLIENTS } from './clients.js';
import { bestCells, entriesFor, rotation } from './plan.js';
import type { RunLine } from './results.js';
import { scenarios } from './scenarios.js';

const full = scenarios(false);
const byId = (id: string) => full.find((s) => s.id === id)!;
const run = (scenario: string, client: string, cell: string, recordsPerMs: number, extra: Partial<RunLine> = {}) =>
  ({
    type: 'run',
    scenario,
    client,
    cell,
    rep: 1,
    t: 0,
    records: recordsPerMs * 1000,
    ms: 1000,
    load1: 0,
    ...extra,
  }) as RunLine;

describe('entriesFor', () => {
  it('runs every matrix cell (and a documented own setting) for the clients that send arrays, once for the others', () => {
    const entries = entriesFor(byId('produce-100-all-none'), CLIENTS, new Map());
    const cellsOf = (id: string) => entries.filter((e) => e.client.id === id).map((e) => e.cell);
    expect(cellsOf('kafkajs')).toEqual(['1000x1', '1000x5', '10000x1', '10000x5']);
    expect(cellsOf('confluent-kafkajs')).toEqual(['1000x1', '1000x5', '10000x1', '10000x5', '1000x50']);
    expect(cellsOf('java')).toEqual(['own']);
    expect(cellsOf('confluent-native')).toEqual(['own']);
    expect(cellsOf('vltava-22')).toEqual(['1000x5']);
    expect(cellsOf('vltava-rx')).toEqual(['own']);
  });

  it('runs the common cell elsewhere, and a best cell beside it once one is known', () => {
    const entries = entriesFor(byId('produce-1024-all-zstd'), CLIENTS, new Map([['vltava', '10000x5']]));
    expect(entries.filter((e) => e.client.id === 'vltava').map((e) => e.cell)).toEqual(['1000x5', '10000x5']);
    expect(entries.filter((e) => e.client.id === 'kafkajs').map((e) => e.cell)).toEqual(['1000x5']);
    expect(entries.some((e) => e.client.id === 'vltava-rx')).toBe(false); // compressed: not an adapter row
  });

  it('keeps the Node lines and adapters to the core scenarios and the Java tools out of latency', () => {
    const latency = entriesFor(byId('latency-50k'), CLIENTS, new Map()).map((e) => e.client.id);
    expect(latency).not.toContain('java');
    expect(latency).not.toContain('vltava-22');
    const consume = entriesFor(byId('consume-1024-lz4'), CLIENTS, new Map()).map((e) => e.client.id);
    expect(consume).not.toContain('vltava-rx');
    expect(entriesFor(byId('consume-100-none'), CLIENTS, new Map()).map((e) => e.client.id)).toContain('vltava-rx');
  });
});

describe('rotation', () => {
  it('starts each repetition one entry later', () => {
    expect(rotation(['a', 'b', 'c'], 1)).toEqual(['a', 'b', 'c']);
    expect(rotation(['a', 'b', 'c'], 2)).toEqual(['b', 'c', 'a']);
    expect(rotation(['a', 'b', 'c'], 4)).toEqual(['a', 'b', 'c']);
  });
});

describe('bestCells', () => {
  it('takes the cell with the highest geometric mean of medians over the matrix scenarios, ignoring runs that do not count', () => {
    const runs = [
      run('produce-100-all-none', 'kafkajs', '1000x5', 400),
      run('produce-100-all-none', 'kafkajs', '1000x5', 420),
      run('produce-100-all-none-keyed', 'kafkajs', '1000x5', 300),
      run('produce-100-all-none', 'kafkajs', '10000x5', 500),
      run('produce-100-all-none-keyed', 'kafkajs', '10000x5', 200),
      // Faster, but failed or noisy: not counted.
      run('produce-100-all-none', 'kafkajs', '1000x1', 9000, { error: 'boom' }),
      run('produce-100-all-none-keyed', 'kafkajs', '1000x1', 9000, { noisy: true }),
      // Not a matrix scenario.
      run('produce-1024-all-none', 'kafkajs', '10000x1', 9000),
    ];
    // 1000x5: sqrt(410 * 300) = 351; 10000x5: sqrt(500 * 200) = 316.
    expect(bestCells(runs, full)).toEqual(new Map([['kafkajs', '1000x5']]));
  });
});

describe('bestCells of a client that ran one cell', () => {
  it('finds none', () => {
    expect(bestCells([run('produce-100-all-none', 'vltava-22', '1000x5', 300)], full).size).toBe(0);
  });
});
