import { kafkaBrokers } from '@vltava/kafka-harness/vitest';
import { describe, expect, it } from 'vitest';
import { main } from '../src/consumer-group.js';
import { groupOffsets, logLines } from './support.js';

const brokers = kafkaBrokers().join(',');
const ALL = [0, 1, 2, 3, 4, 5];

describe('examples/consumer-group', () => {
  it('shares six partitions among three members, two each, and hands a leaving member’s over', async () => {
    const { lines, log } = logLines();
    const count = 3000;
    const result = await main(brokers, log, count);
    // Three members: two partitions each, no partition twice.
    const three = Object.values(result.withThree);
    expect(three.map((p) => p.length)).toEqual([2, 2, 2]);
    expect(three.flat().sort()).toEqual(ALL);
    // Member 3 left: the other two own everything.
    const two = Object.values(result.afterLeave);
    expect(two).toHaveLength(2);
    expect(two.flat().sort()).toEqual(ALL);
    // Every record was read (at least once), and the group committed to the end.
    expect(new Set(result.read).size).toBe(count);
    const offsets = await groupOffsets(brokers, result.groupId);
    expect(offsets.reduce((sum, o) => sum + (o.offset ?? 0n), 0n)).toBe(BigInt(count));
    // The rebalance listeners printed the assignments.
    expect(lines.some((l) => /^member-3: assigned \[/.test(l))).toBe(true);
    expect(lines.some((l) => /revoked/.test(l))).toBe(true);
  });
});
