import { kafkaBrokers } from '@vltava/kafka-harness/vitest';
import { describe, expect, it } from 'vitest';
import { main } from '../src/ix-operators.js';
import { groupOffsets, logLines } from './support.js';

const brokers = kafkaBrokers().join(',');

describe('examples/ix-operators', () => {
  it('aggregates page views through IxJS operators and commits what the loop acknowledged', async () => {
    const { lines, log } = logLines();
    const count = 2000;
    const result = await main(brokers, log, count);
    // 2000 views over four pages; health checks filtered out.
    expect(result.views).toEqual({ '/': 500, '/cart': 500, '/checkout': 500 });
    const slowest = (page: number) => {
      let max = 0;
      for (let i = page; i < count; i += 4) max = Math.max(max, (i * 37) % 900);
      return max;
    };
    expect(result.slowest).toEqual({ '/': slowest(0), '/cart': slowest(1), '/checkout': slowest(2) });
    // Committed: exactly the acknowledged offsets, per partition.
    const offsets = await groupOffsets(brokers, result.groupId);
    for (const [partition, offset] of Object.entries(result.acknowledged)) {
      expect(offsets.find((o) => o.partition === Number(partition))?.offset).toBe(BigInt(offset));
    }
    expect(lines.filter((l) => l.startsWith('window of')).length).toBeGreaterThan(1);
  });
});
