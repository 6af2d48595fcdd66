import { Admin, deserializers, ShareConsumer, type ShareMessage } from '@vltava/core';
import { uniqueName } from '@vltava/kafka-harness/vitest';
import { filter, firstValueFrom, mergeMap, scan, take, timeout } from 'rxjs';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { fromShareConsumer } from '../src/index.js';
import { TopicWriter } from './support/topic-writer.js';

const brokers = inject('kafkaBootstrap');

async function shareGroup(topic: string): Promise<string> {
  const groupId = uniqueName('rx-share');
  await using admin = new Admin({ brokers, logLevel: 'error' });
  const [result] = await admin.incrementalAlterConfigs([
    {
      resource: { type: 'group', name: groupId },
      ops: [{ name: 'share.auto.offset.reset', op: 'set', value: 'earliest' }],
    },
  ]);
  if (result?.error !== undefined) throw result.error;
  void topic;
  return groupId;
}

const factory = (groupId: string) => () =>
  new ShareConsumer({
    brokers,
    groupId,
    valueDeserializer: deserializers.string,
    shareAcknowledgementMode: 'explicit',
    logLevel: 'error',
  });

describe('fromShareConsumer against the broker', () => {
  const writer = new TopicWriter(brokers);
  afterAll(() => writer.close());

  it('processes concurrently with mergeMap: every good record accepted once, poison released then rejected', async () => {
    const topic = uniqueName('rx-share');
    await writer.createTopic(topic, 1);
    const groupId = await shareGroup(topic);
    const good = 300;
    await writer.send(topic, 0, [
      ...Array.from({ length: good }, (_, i) => ({ value: `job-${i}` })),
      { value: 'poison-a' },
      { value: 'poison-b' },
    ]);
    const accepted = new Map<string, number>();
    const poisonAttempts = new Map<string, number[]>();
    let concurrent = 0;
    let maxConcurrent = 0;
    const done = await firstValueFrom(
      fromShareConsumer(factory(groupId), { topics: topic, highWaterMark: 40 }).pipe(
        mergeMap(async (message: ShareMessage<Buffer | null, string | null>) => {
          concurrent++;
          maxConcurrent = Math.max(maxConcurrent, concurrent);
          await new Promise((resolve) => setTimeout(resolve, 2)); // some I/O-bound work
          concurrent--;
          const value = message.record.value!;
          if (value.startsWith('poison')) {
            poisonAttempts.set(value, [...(poisonAttempts.get(value) ?? []), message.deliveryCount]);
            if (message.deliveryCount >= 3) message.reject();
            else message.release();
            return value;
          }
          expect(message.accept()).toBe(true);
          expect(message.accept()).toBe(false); // settled once
          accepted.set(value, (accepted.get(value) ?? 0) + 1);
          return value;
        }, 16),
        scan((n) => n + 1, 0),
        filter((n) => n === good + 6),
        take(1),
        timeout(60_000),
      ),
    );
    expect(done).toBe(good + 6);
    expect(accepted.size).toBe(good);
    expect([...accepted.values()].every((n) => n === 1)).toBe(true);
    expect(poisonAttempts.get('poison-a')).toEqual([1, 2, 3]);
    expect(poisonAttempts.get('poison-b')).toEqual([1, 2, 3]);
    expect(maxConcurrent).toBeGreaterThan(1);
    expect(maxConcurrent).toBeLessThanOrEqual(16);
  }, 90_000);

  it('stops polling at the high-water mark and releases unsettled messages when unsubscribed', async () => {
    const topic = uniqueName('rx-share-hwm');
    await writer.createTopic(topic, 1);
    const groupId = await shareGroup(topic);
    await writer.sendMany(topic, 0, 200, 'v');
    const held: ShareMessage<Buffer | null, string | null>[] = [];
    await new Promise<void>((resolve, reject) => {
      const subscription = fromShareConsumer(factory(groupId), {
        topics: topic,
        highWaterMark: 10,
        lowWaterMark: 5,
      }).subscribe({
        next: (message) => {
          held.push(message); // never settled: the source must stop at 10
          if (held.length === 10) {
            setTimeout(() => {
              try {
                expect(held.length).toBe(10);
                subscription.unsubscribe();
                resolve();
              } catch (error) {
                reject(error);
              }
            }, 1500);
          }
        },
        error: reject,
      });
    });
    expect(held.every((m) => m.settled === 'release')).toBe(true);
    expect(held[0]!.accept()).toBe(false);
    // Released, so another member gets them again (delivery count 2).
    const again = await firstValueFrom(
      fromShareConsumer(factory(groupId), { topics: topic }).pipe(
        filter((m) => m.record.offset === held[0]!.record.offset),
        take(1),
        timeout(30_000),
      ),
    );
    expect(again.deliveryCount).toBe(2);
  }, 90_000);
});
