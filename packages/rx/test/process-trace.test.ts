import { Consumer, type ConsumerProcessPayload, diagnosticChannels } from '@vltava/core';
import { uniqueName } from '@vltava/kafka-harness/vitest';
import { firstValueFrom, take, tap, toArray } from 'rxjs';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { fromConsumer } from '../src/index.js';
import { groupConsumerOptions, TopicWriter } from './support/topic-writer.js';

const brokers = inject('kafkaBootstrap');

/**
 * Against the broker: an Rx message's process trace ends at its acknowledgement, and a message never acknowledged
 * ends its trace as abandoned when the subscription has ended (after `drainTimeoutMs`), instead of leaving it open.
 */
describe('fromConsumer process traces', () => {
  const writer = new TopicWriter(brokers);
  afterAll(() => writer.close());

  it('ends an acknowledged message at its ack, and one never acknowledged as abandoned at unsubscribe', async () => {
    const topic = uniqueName('rx-trace');
    const groupId = uniqueName('g');
    await writer.createTopic(topic, 1);
    await writer.sendMany(topic, 0, 2, 'v');
    const consumer = new Consumer(groupConsumerOptions(brokers, groupId));
    const started: ConsumerProcessPayload[] = [];
    const ended: ConsumerProcessPayload[] = [];
    let secondEnded!: () => void;
    const second = new Promise<void>((resolve) => {
      secondEnded = resolve;
    });
    const stop = diagnosticChannels.consumerProcess.subscribe({
      start: (p) => {
        if (p.groupId === groupId) started.push(p);
      },
      asyncEnd: (p) => {
        if (p.groupId !== groupId) return;
        ended.push(p);
        if (p.records[0]!.offset === 1n) secondEnded();
      },
    });
    try {
      // The first is acknowledged in its emission; the second never is, and take(2) ends the subscription.
      await firstValueFrom(
        fromConsumer(consumer, { topics: [topic], drainTimeoutMs: 200 }).pipe(
          tap((message) => {
            if (message.offset === 0n) message.ack();
          }),
          take(2),
          toArray(),
        ),
      );
      expect(started.map((p) => p.records[0]!.offset)).toEqual([0n, 1n]);
      // The unacknowledged one is given drainTimeoutMs after the subscription ends, then abandoned.
      await second;
      const byOffset = new Map(ended.map((p) => [p.records[0]!.offset, p]));
      expect(byOffset.get(1n)?.abandoned).toMatch(/subscription ended before the message was acknowledged/);
      expect(byOffset.get(0n)?.abandoned).toBeUndefined();
      expect(ended).toHaveLength(2);
    } finally {
      stop();
      await consumer.close();
    }
  });
});
