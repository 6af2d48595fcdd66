import { kafkaBrokers } from '@vltava/kafka-harness/vitest';
import { describe, expect, it } from 'vitest';
import { main, reading, toFahrenheit } from '../src/rx-pipeline.js';
import { groupOffsets, logLines, readTopic } from './support.js';

const brokers = kafkaBrokers().join(',');

describe('examples/rx-pipeline', () => {
  it('converts every reading with fromConsumer -> sendTo -> commitOffsets and commits the input to its end', async () => {
    const { lines, log } = logLines();
    const total = 3000;
    const result = await main(brokers, log, total);
    expect(result.produced).toBe(total);
    const output = (await readTopic(brokers, result.output)).map(
      (r) => JSON.parse(r.value!) as { sensor: string; fahrenheit: number },
    );
    expect(output).toHaveLength(result.converted);
    expect(output.length).toBeGreaterThanOrEqual(total);
    // Every reading converted (once, in a run without failures).
    const expected = Array.from({ length: total }, (_, i) => {
      const r = reading(i);
      return `${r.sensor} ${toFahrenheit(r.celsius)}`;
    });
    expect(output.map((o) => `${o.sensor} ${o.fahrenheit}`).sort()).toEqual(expected.sort());
    expect(toFahrenheit(-9.3)).toBe(15.3);
    const offsets = await groupOffsets(brokers, result.groupId);
    expect(offsets.reduce((sum, o) => sum + (o.offset ?? 0n), 0n)).toBe(BigInt(total));
    expect(offsets.every((o) => o.lag === 0n)).toBe(true);
    expect(lines.some((l) => l.startsWith('committed'))).toBe(true);
  });
});
