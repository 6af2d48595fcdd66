import { kafkaBrokers } from '@vltava/kafka-harness/vitest';
import { describe, expect, it } from 'vitest';
import { MAX_ATTEMPTS, main } from '../src/work-queue.js';
import { logLines } from './support.js';

const brokers = kafkaBrokers().join(',');

describe('examples/work-queue', () => {
  it('four share-group workers serve one partition together and reject poison jobs after 3 attempts', async () => {
    const { lines, log } = logLines();
    const jobs = 240;
    const { single, four } = await main(brokers, log, jobs);
    console.log(lines.join('\n'));
    for (const phase of [single, four]) {
      // Every good job accepted exactly once (nobody failed, so nothing was delivered twice).
      expect(phase.accepted.size).toBe(jobs);
      expect([...phase.accepted.values()].every((n) => n === 1)).toBe(true);
    }
    // Past the partition count: every one of the four workers took jobs from the single partition.
    expect(four.perWorker).toHaveLength(4);
    expect(four.perWorker.every((n) => n > 0)).toBe(true);
    // Poison: delivered MAX_ATTEMPTS times (released, released, rejected), then never again.
    expect([...four.poison.values()]).toEqual([
      Array.from({ length: MAX_ATTEMPTS }, (_, i) => i + 1),
      Array.from({ length: MAX_ATTEMPTS }, (_, i) => i + 1),
    ]);
    // The work is I/O-bound (25 ms per job, 4 at a time per worker): four workers go well past one.
    expect(four.jobsPerSecond).toBeGreaterThan(single.jobsPerSecond * 1.5);
    expect(lines.some((l) => l.includes('4 workers on one partition'))).toBe(true);
  }, 120_000);
});
