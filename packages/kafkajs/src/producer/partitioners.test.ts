import { randomBytes } from 'node:crypto';
import upstream from 'kafkajs-upstream';
import { describe, expect, it } from 'vitest';
import type { PartitionMetadata } from '../consumer/assigners.js';
import { legacyMurmur2, Partitioners } from './partitioners.js';

const metadata = (count: number, withoutLeader: number[] = []): PartitionMetadata[] =>
  Array.from({ length: count }, (_, partitionId) => ({
    partitionErrorCode: 0,
    partitionId,
    leader: withoutLeader.includes(partitionId) ? -1 : 1,
    replicas: [1],
    isr: [1],
  }));

function keys(): Array<string | Buffer> {
  const list: Array<string | Buffer> = ['', 'a', 'ab', 'abc', 'abcd', 'abcde', 'key-1', 'ünïcødé', '🦄 key'];
  for (let i = 0; i < 500; i++) {
    list.push(randomBytes(i % 41));
    list.push(`user-${i}-${randomBytes(3).toString('hex')}`);
  }
  return list;
}

describe('Partitioners', () => {
  for (const name of ['DefaultPartitioner', 'LegacyPartitioner', 'JavaCompatiblePartitioner'] as const) {
    it(`${name} places every key where kafkajs 2.2.4's ${name} does`, () => {
      const ours = Partitioners[name]();
      const theirs = upstream.Partitioners[name]();
      for (const count of [1, 3, 7, 12, 100]) {
        const partitionMetadata = metadata(count);
        for (const key of keys()) {
          const message = { key, value: 'v' };
          expect(ours({ topic: 't', partitionMetadata, message })).toBe(
            theirs({ topic: 't', partitionMetadata, message }),
          );
        }
      }
    });
  }

  it('the legacy hash differs from the Java one for most keys, as in KafkaJS 1.x', () => {
    const ours = Partitioners.DefaultPartitioner();
    const legacy = Partitioners.LegacyPartitioner();
    const partitionMetadata = metadata(50);
    let differ = 0;
    for (let i = 0; i < 200; i++) {
      const message = { key: `k-${i}`, value: 'v' };
      if (ours({ topic: 't', partitionMetadata, message }) !== legacy({ topic: 't', partitionMetadata, message })) {
        differ++;
      }
    }
    expect(differ).toBeGreaterThan(100);
    expect(legacyMurmur2(Buffer.from('abc'))).not.toBe(0);
  });

  it('a message with a partition goes there, whatever its key', () => {
    const partition = Partitioners.DefaultPartitioner();
    expect(
      partition({ topic: 't', partitionMetadata: metadata(4), message: { key: 'k', value: 'v', partition: 3 } }),
    ).toBe(3);
  });

  it('messages without a key go round robin over the partitions that have a leader', () => {
    const partition = Partitioners.DefaultPartitioner();
    const partitionMetadata = metadata(4, [2]);
    const chosen = Array.from({ length: 9 }, () =>
      partition({ topic: 't', partitionMetadata, message: { value: 'v' } }),
    );
    expect(new Set(chosen)).toEqual(new Set([0, 1, 3]));
    // Consecutive messages take consecutive available partitions.
    const order = [0, 1, 3];
    for (let i = 1; i < chosen.length; i++) {
      expect(order.indexOf(chosen[i]!)).toBe((order.indexOf(chosen[i - 1]!) + 1) % 3);
    }
  });

  it('without any leader, messages without a key still get a partition', () => {
    const partition = Partitioners.DefaultPartitioner();
    const chosen = partition({ topic: 't', partitionMetadata: metadata(2, [0, 1]), message: { value: 'v' } });
    expect([0, 1]).toContain(chosen);
  });
});
