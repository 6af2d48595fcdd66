import { describe, expect, it } from 'vitest';
import type { TopicInfo } from '../cluster/metadata.js';
import { InvalidArgumentError } from '../errors/client-errors.js';
import { ErrorCodes } from '../errors/error-codes.generated.js';
import { TestMetadata, topicInfo } from './fixtures/test-records.js';
import { PartitionCache } from './partition-cache.js';
import { PartitionState } from './partition-state.js';
import { RoundRobinPartitioner } from './partitioner.js';

function topic(name: string, leaders: number[], errorCode = 0): TopicInfo {
  return { ...topicInfo(name, leaders), errorCode };
}

function setup() {
  const view = new TestMetadata();
  const created: string[] = [];
  const cache = new PartitionCache(view, new RoundRobinPartitioner(), (name, partition) => {
    created.push(`${name}-${partition}`);
    return new PartitionState(name, partition);
  });
  return { view, cache, created };
}

describe('PartitionCache', () => {
  it('takes in tracked topics with partitions, and only those', () => {
    const { view, cache } = setup();
    view.trackedTopics.add('orders');
    view.trackedTopics.add('broken');
    view.publish(
      [topic('orders', [1, -1, 2]), topic('other', [1]), topic('broken', [], ErrorCodes.UNKNOWN_TOPIC_OR_PARTITION)],
      false,
    );
    cache.refresh();
    expect(cache.get('other')).toBeUndefined(); // not asked for
    expect(cache.get('broken')).toBeUndefined(); // no partitions
    const entry = cache.get('orders')!;
    expect(entry.partitions).toEqual({ partitionCount: 3, hasLeader: [true, false, true], available: [0, 2] });
  });

  it('keeps the entry and its partition states when metadata changes, and rebuilds availability', () => {
    const { view, cache, created } = setup();
    view.trackedTopics.add('orders');
    view.publish([topic('orders', [1, -1])], false);
    cache.refresh();
    const entry = cache.get('orders')!;
    const state = cache.stateOf(entry, 1);
    expect(cache.stateOf(entry, 1)).toBe(state);
    view.publish([topic('orders', [1, 2, 3])], false);
    cache.refresh();
    expect(cache.get('orders')).toBe(entry);
    expect(entry.partitions.available).toEqual([0, 1, 2]);
    expect(cache.stateOf(entry, 1)).toBe(state);
    expect(created).toEqual(['orders-1']);
  });

  it('checks an explicit partition exists and otherwise asks the partitioner', () => {
    const { view, cache } = setup();
    view.trackedTopics.add('orders');
    view.publish([topic('orders', [1, -1, 1])], false);
    cache.refresh();
    const entry = cache.get('orders')!;
    expect(cache.choosePartition(entry, 1, null, 'v')).toBe(1);
    expect(() => cache.choosePartition(entry, 3, null, 'v')).toThrow(InvalidArgumentError);
    expect(() => cache.choosePartition(entry, 3, null, 'v')).toThrow(/has 3 partition/);
    // Round robin over the partitions with a leader.
    const chosen = [0, 1, 2, 3].map(() => cache.choosePartition(entry, undefined, null, 'v'));
    expect(new Set(chosen)).toEqual(new Set([0, 2]));
  });

  it('answers a topic change after remembering the last topic', () => {
    const { view, cache } = setup();
    view.trackedTopics.add('a');
    view.trackedTopics.add('b');
    view.publish([topic('a', [1]), topic('b', [1, 1])], false);
    cache.refresh();
    expect(cache.get('a')!.info.name).toBe('a');
    expect(cache.get('b')!.info.name).toBe('b');
    expect(cache.get('c')).toBeUndefined();
    expect(cache.get('a')!.partitions.partitionCount).toBe(1);
  });
});
