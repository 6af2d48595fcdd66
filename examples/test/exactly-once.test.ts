import { kafkaBrokers } from '@vltava/kafka-harness/vitest';
import { describe, expect, it } from 'vitest';
import { main } from '../src/exactly-once.js';
import { groupOffsets, logLines, readTopic } from './support.js';

const brokers = kafkaBrokers().join(',');

describe('examples/exactly-once', () => {
  it('writes each input record once in committed transactions, with the input offsets; aborted records stay invisible', async () => {
    const { log } = logLines();
    const count = 2000;
    const result = await main(brokers, log, count);
    expect(result.count).toBe(count);
    expect(result.transactions).toBeGreaterThanOrEqual(count / 250);
    const expected = Array.from({ length: count }, (_, i) => `credited ${i * 100} cents`).sort();
    // read_committed: every ledger entry exactly once, nothing of the aborted transaction.
    const committed = await readTopic(brokers, result.output, 'read_committed');
    expect(committed.map((r) => r.value).sort()).toEqual(expected);
    // The aborted record is in the log, visible only to read_uncommitted readers.
    const everything = await readTopic(brokers, result.output, 'read_uncommitted');
    expect(everything.filter((r) => r.value === 'never visible')).toHaveLength(1);
    // The input offsets were committed with the transactions: the group is at the end of the input.
    const offsets = await groupOffsets(brokers, result.groupId, 'read_committed');
    expect(offsets.reduce((sum, o) => sum + (o.offset ?? 0n), 0n)).toBe(BigInt(count));
    expect(offsets.every((o) => o.lag === 0n)).toBe(true);
  });
});
