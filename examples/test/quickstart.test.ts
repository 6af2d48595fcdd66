import { kafkaBrokers } from '@vltava/kafka-harness/vitest';
import { describe, expect, it } from 'vitest';
import { main } from '../src/quickstart.js';
import { groupOffsets, logLines, readTopic } from './support.js';

const brokers = kafkaBrokers().join(',');

describe('examples/quickstart', () => {
  it('creates a topic, sends ten records, reads them back in a group and commits them', async () => {
    const { lines, log } = logLines();
    const result = await main(brokers, log);
    const expected = Array.from({ length: 10 }, (_, i) => `hello ${i}`);
    // Every record sent was acknowledged with a place in the topic, and read back once.
    expect(result.sent).toHaveLength(10);
    expect(result.received.map((r) => r.value).sort()).toEqual([...expected].sort());
    // Same key, same partition, in send order.
    for (const key of ['user-0', 'user-1', 'user-2']) {
      const values = result.received.filter((r) => r.key === key).map((r) => r.value);
      expect(new Set(result.received.filter((r) => r.key === key).map((r) => r.partition)).size).toBe(1);
      expect(values).toEqual(expected.filter((_, i) => `user-${i % 3}` === key));
    }
    // The topic holds exactly those records, on its three partitions.
    const stored = await readTopic(brokers, result.topic);
    expect(stored.map((r) => r.value).sort()).toEqual([...expected].sort());
    expect(new Set(stored.map((r) => r.partition)).size).toBeLessThanOrEqual(3);
    // The group committed all ten: no lag left.
    const offsets = await groupOffsets(brokers, result.groupId);
    expect(offsets.reduce((sum, o) => sum + (o.offset ?? 0n), 0n)).toBe(10n);
    expect(offsets.every((o) => o.lag === 0n)).toBe(true);
    expect(lines.filter((l) => l.startsWith('received'))).toHaveLength(10);
  });
});
