import { kafkaBrokers } from '@vltava/kafka-harness/vitest';
import { describe, expect, it } from 'vitest';
import { main } from '../src/stream-pipeline.js';
import { groupOffsets, logLines, readTopic } from './support.js';

const brokers = kafkaBrokers().join(',');

describe('examples/stream-pipeline', () => {
  it('invoices every order through stream.pipeline and commits the orders once their invoices are written', async () => {
    const { lines, log } = logLines();
    const count = 3000;
    const result = await main(brokers, log, count);
    const orders = await readTopic(brokers, result.orders);
    expect(orders).toHaveLength(count);
    const invoices = (await readTopic(brokers, result.invoices)).map(
      (r) => JSON.parse(r.value!) as { order: number; customer: string; total: number },
    );
    // Every order invoiced (at least once; exactly once in a run without failures), with the right total.
    expect(new Set(invoices.map((i) => i.order)).size).toBe(count);
    expect(invoices).toHaveLength(count);
    const order7 = invoices.find((i) => i.order === 7)!;
    expect(order7).toEqual({ order: 7, customer: 'c7', total: Math.round(17 * 1.1 * 100) / 100 });
    const order8 = invoices.find((i) => i.order === 8)!;
    expect(order8.total).toBe(Math.round(18 * 1.21 * 100) / 100);
    // The orders' offsets are committed to the end: nothing left to read for the group.
    const offsets = await groupOffsets(brokers, result.groupId);
    expect(offsets.reduce((sum, o) => sum + (o.offset ?? 0n), 0n)).toBe(BigInt(count));
    expect(offsets.every((o) => o.lag === 0n)).toBe(true);
    expect(lines.some((l) => l.startsWith('done'))).toBe(true);
  });
});
