import { FakeConsumer, fakeRecord, settle, until } from '@vltava/client-fakes';
import { InvalidArgumentError, MaxPollIntervalExceededError } from '@vltava/core';
import { describe, expect, it } from 'vitest';
import { fromPartitions, type KafkaPartition } from './from-partitions.js';
import type { KafkaMessage } from './kafka-message.js';

type Message = KafkaMessage<string, string>;

/** Partitions 0 and 1 of topic `t`. */
const T0_T1 = [
  { topic: 't', partition: 0 },
  { topic: 't', partition: 1 },
];

interface Inner {
  readonly partition: KafkaPartition<string, string>;
  readonly messages: Message[];
  completed: boolean;
  error?: unknown;
}

function collect(consumer: FakeConsumer, options: Parameters<typeof fromPartitions>[1] = { topics: 't' }) {
  const inners: Inner[] = [];
  let outerError: unknown;
  const subscription = fromPartitions(consumer, options).subscribe({
    next: (partition) => {
      const inner: Inner = { partition, messages: [], completed: false };
      inners.push(inner);
      partition.subscribe({
        next: (m) => inner.messages.push(m),
        complete: () => {
          inner.completed = true;
        },
        error: (error) => {
          inner.error = error;
        },
      });
    },
    error: (error) => {
      outerError = error;
    },
  });
  return { inners, subscription, outerError: () => outerError };
}

describe('fromPartitions', () => {
  it('emits an Observable per assigned partition and routes each record to its partition', async () => {
    const consumer = new FakeConsumer();
    const { inners, subscription } = collect(consumer);
    await consumer.rebalanceAssign(T0_T1);
    expect(inners.map((i) => `${i.partition.topic}:${i.partition.partition}`)).toEqual(['t:0', 't:1']);
    consumer.push(fakeRecord('t', 1, 0), fakeRecord('t', 0, 0), fakeRecord('t', 1, 1));
    await until(() => inners[1]!.messages.length === 2, 'records of t:1');
    expect(inners[0]!.messages.map((m) => m.offset)).toEqual([0n]);
    expect(inners[1]!.messages.map((m) => m.offset)).toEqual([0n, 1n]);
    subscription.unsubscribe();
    expect(inners.every((i) => i.completed)).toBe(true);
  });

  it('completes a revoked partition only after its in-flight records are acknowledged', async () => {
    const consumer = new FakeConsumer();
    const { inners, subscription } = collect(consumer);
    await consumer.rebalanceAssign(T0_T1);
    consumer.push(fakeRecord('t', 0, 0), fakeRecord('t', 0, 1), fakeRecord('t', 1, 0));
    await until(() => inners[0]!.messages.length === 2 && inners[1]!.messages.length === 1, 'three records');
    const revoking = consumer.rebalanceRevoke([{ topic: 't', partition: 0 }]);
    inners[0]!.messages[0]!.ack();
    await settle();
    expect(inners[0]!.completed).toBe(false);
    inners[0]!.messages[1]!.ack();
    await revoking;
    expect(inners[0]!.completed).toBe(true);
    expect(inners[1]!.completed).toBe(false);
    expect(consumer.commits).toEqual([[expect.objectContaining({ partition: 0, offset: 2n })]]);
    // Assigned again later: a new Observable.
    await consumer.rebalanceAssign([{ topic: 't', partition: 0 }]);
    expect(inners).toHaveLength(3);
    subscription.unsubscribe();
  });

  it('completes a revoked partition after drainTimeoutMs when its records are not acknowledged', async () => {
    const consumer = new FakeConsumer();
    const { inners, subscription } = collect(consumer, { topics: 't', drainTimeoutMs: 20 });
    await consumer.rebalanceAssign([{ topic: 't', partition: 0 }]);
    consumer.push(fakeRecord('t', 0, 0));
    await until(() => inners[0]!.messages.length === 1, 'a record');
    await consumer.rebalanceRevoke([{ topic: 't', partition: 0 }]);
    expect(inners[0]!.completed).toBe(true);
    expect(consumer.commits).toEqual([]);
    subscription.unsubscribe();
  });

  it('emits the partitions of a manual assignment at once', async () => {
    const consumer = new FakeConsumer();
    consumer.assign([
      { topic: 'a', partition: 3 },
      { topic: 'b', partition: 0 },
    ]);
    const { inners, subscription } = collect(consumer, {});
    expect(inners.map((i) => `${i.partition.topic}:${i.partition.partition}`)).toEqual(['a:3', 'b:0']);
    subscription.unsubscribe();
  });

  it('keeps the records that arrive before its subscriber, and accepts one subscriber', async () => {
    const consumer = new FakeConsumer();
    consumer.assign([{ topic: 't', partition: 0 }]);
    consumer.push(fakeRecord('t', 0, 0), fakeRecord('t', 0, 1));
    const partitions: KafkaPartition<string, string>[] = [];
    const subscription = fromPartitions(consumer).subscribe((p) => partitions.push(p));
    await until(() => consumer.pulled === 2, 'two records read');
    const late: bigint[] = [];
    partitions[0]!.subscribe((m) => late.push(m.offset));
    expect(late).toEqual([0n, 1n]);
    const second = await new Promise((resolve) => partitions[0]!.subscribe({ error: resolve }));
    expect(second).toBeInstanceOf(InvalidArgumentError);
    subscription.unsubscribe();
  });

  it('an error reaches the outer Observable and every open partition', async () => {
    const consumer = new FakeConsumer();
    const { inners, outerError } = collect(consumer);
    await consumer.rebalanceAssign([{ topic: 't', partition: 0 }]);
    consumer.fail(new MaxPollIntervalExceededError('too slow'));
    await until(() => outerError() !== undefined, 'the error');
    expect(outerError()).toBeInstanceOf(MaxPollIntervalExceededError);
    expect(inners[0]!.error).toBe(outerError());
    await until(() => consumer.calls.includes('unsubscribe'), 'leaving the group');
  });
});
