import { describe, expect, it } from 'vitest';
import { InvalidArgumentError } from '../errors/client-errors.js';
import { createPartitioner, DefaultPartitioner, FunctionPartitioner, RoundRobinPartitioner } from './partitioner.js';
import { StickyPartitioner, type TopicPartitions } from './sticky-partitioner.js';

function partitions(count: number, withoutLeader: number[] = []): TopicPartitions {
  const hasLeader = Array.from({ length: count }, (_, p) => !withoutLeader.includes(p));
  return { partitionCount: count, hasLeader, available: hasLeader.flatMap((ok, p) => (ok ? [p] : [])) };
}

/** A deterministic random source cycling through the given values. */
function sequence(...values: number[]): () => number {
  let i = 0;
  return () => values[i++ % values.length]!;
}

describe('DefaultPartitioner', () => {
  it('places keyed records by Java murmur2, including on partitions without a leader', () => {
    const partitioner = new DefaultPartitioner(16384);
    // Java: toPositive(murmur2("foobar")) % 6 = 0, "key-42" % 6 = 3, "a" % 6 = 4.
    const six = partitions(6, [0, 3, 4]);
    expect(partitioner.partition('t', 'foobar', 'v', six)).toBe(0);
    expect(partitioner.partition('t', Buffer.from('key-42'), null, six)).toBe(3);
    expect(partitioner.partition('t', 'a', 'v', six)).toBe(4);
  });

  it('sticks keyless records to one partition until batchSize bytes, then switches', () => {
    const partitioner = new DefaultPartitioner(1000, sequence(0.5, 0.1, 0.9));
    const six = partitions(6);
    const first = partitioner.partition('t', null, 'v', six);
    expect(first).toBe(3); // floor(0.5 * 6)
    for (let i = 0; i < 9; i++) {
      expect(partitioner.partition('t', null, 'v', six)).toBe(first);
      partitioner.onAppend('t', first, null, 100, six);
    }
    partitioner.onAppend('t', first, null, 100, six); // 1000 bytes reached
    const second = partitioner.partition('t', null, 'v', six);
    expect(second).not.toBe(first);
    // Keyed records do not count towards the sticky partition's bytes.
    partitioner.onAppend('t', second, 'k', 5000, six);
    expect(partitioner.partition('t', null, 'v', six)).toBe(second);
  });
});

describe('StickyPartitioner', () => {
  it('chooses only partitions with a leader and moves away from one that loses its leader', () => {
    const sticky = new StickyPartitioner(100, sequence(0, 0.99, 0.5));
    const someDown = partitions(4, [0, 2]);
    expect(sticky.partition('t', someDown)).toBe(1); // available [1, 3], index 0
    expect(sticky.partition('t', partitions(4, [1, 2]))).toBe(3);
  });

  it('spreads keyless load evenly over many switches', () => {
    const sticky = new StickyPartitioner(100);
    const six = partitions(6);
    const counts = new Array<number>(6).fill(0);
    for (let i = 0; i < 60_000; i++) {
      const p = sticky.partition('t', six);
      counts[p]!++;
      sticky.onAppend('t', p, 10, six);
    }
    for (const count of counts) expect(count).toBeGreaterThan(8000); // 10000 each on average
  });

  it('picks any partition when none has a leader', () => {
    const sticky = new StickyPartitioner(100, () => 0.7);
    expect(sticky.partition('t', partitions(3, [0, 1, 2]))).toBe(2);
  });
});

describe('RoundRobinPartitioner', () => {
  it('cycles through partitions with a leader, per topic, ignoring keys', () => {
    const rr = new RoundRobinPartitioner();
    const four = partitions(4, [2]);
    expect([0, 1, 2, 3].map(() => rr.partition('a', 'same-key', null, four))).toEqual([0, 1, 3, 0]);
    expect(rr.partition('b', null, null, four)).toBe(0);
  });
});

describe('FunctionPartitioner', () => {
  it('uses what the function returns and passes it the record and topic', () => {
    const seen: unknown[] = [];
    const fn = new FunctionPartitioner((ctx) => {
      seen.push(ctx);
      return ctx.partitionCount - 1;
    });
    expect(fn.partition('t', 'k', 'v', partitions(3))).toBe(2);
    expect(seen).toEqual([{ topic: 't', key: 'k', value: 'v', partitionCount: 3, availablePartitions: [0, 1, 2] }]);
  });

  it('fails the record when the function returns an invalid partition or throws', () => {
    expect(() => new FunctionPartitioner(() => 3).partition('t', null, 'v', partitions(3))).toThrow(
      /returned 3; topic t has partitions 0 to 2/,
    );
    expect(() => new FunctionPartitioner(() => 0.5).partition('t', null, 'v', partitions(3))).toThrow(
      InvalidArgumentError,
    );
    expect(() =>
      new FunctionPartitioner(() => {
        throw new Error('boom');
      }).partition('t', null, 'v', partitions(3)),
    ).toThrow(/threw: boom/);
  });
});

describe('createPartitioner', () => {
  it('builds the partitioner an option names', () => {
    expect(createPartitioner('default', 100)).toBeInstanceOf(DefaultPartitioner);
    expect(createPartitioner('round-robin', 100)).toBeInstanceOf(RoundRobinPartitioner);
    expect(createPartitioner(() => 0, 100)).toBeInstanceOf(FunctionPartitioner);
  });
});
