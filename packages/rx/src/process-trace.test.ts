import { FakeConsumer, fakeRecord, until } from '@vltava/client-fakes';
import { type ConsumerProcessPayload, diagnosticChannels } from '@vltava/core';
import { afterEach, describe, expect, it } from 'vitest';
import { fromConsumer } from './from-consumer.js';
import type { KafkaMessage } from './kafka-message.js';

// vltava:consumer:process as fromConsumer publishes it: from a record's emission to its ack(), and, for a record
// never acknowledged, to the end of its partition's assignment or of the subscription (`abandoned` says which).

type Message = KafkaMessage<string, string>;
const stops: Array<() => void> = [];
afterEach(() => {
  for (const stop of stops.splice(0)) stop();
});

function watchProcess() {
  const ended: ConsumerProcessPayload[] = [];
  stops.push(diagnosticChannels.consumerProcess.subscribe({ asyncStart: (p) => ended.push(p) }));
  return ended;
}

const at = (ended: readonly ConsumerProcessPayload[], partition: number, offset: bigint) =>
  ended.find((p) => p.records[0]!.partition === partition && p.records[0]!.offset === offset);

describe('fromConsumer: process traces', () => {
  it('ends a trace at ack(), and abandons those never acknowledged when their partition is revoked or lost', async () => {
    const ended = watchProcess();
    const consumer = new FakeConsumer();
    consumer.push(fakeRecord('t', 0, 0), fakeRecord('t', 0, 1), fakeRecord('t', 1, 0));
    const received: Message[] = [];
    const subscription = fromConsumer(consumer, { topics: 't', drainTimeoutMs: 10 }).subscribe((m) => received.push(m));
    await until(() => received.length === 3, 'three records');
    received[0]!.ack();
    expect(at(ended, 0, 0n)).toMatchObject({ abandoned: undefined });
    await consumer.rebalanceRevoke([{ topic: 't', partition: 0 }]);
    expect(at(ended, 0, 1n)!.abandoned).toMatch(/partition was revoked before the message was acknowledged/);
    await consumer.rebalanceLose([{ topic: 't', partition: 1 }]);
    expect(at(ended, 1, 0n)!.abandoned).toMatch(/partition was lost before the message was acknowledged/);
    // A late ack changes nothing: each trace ended once.
    received[1]!.ack();
    expect(ended).toHaveLength(3);
    for (const payload of ended) expect(payload.error).toBeUndefined();
    subscription.unsubscribe();
    await until(() => consumer.calls.includes('unsubscribe'), 'leaving the group');
  });

  it('abandons the traces of records never acknowledged when the subscription ends', async () => {
    const ended = watchProcess();
    const consumer = new FakeConsumer();
    consumer.push(fakeRecord('t', 0, 0), fakeRecord('t', 0, 1));
    const received: Message[] = [];
    const subscription = fromConsumer(consumer, { topics: 't', drainTimeoutMs: 10 }).subscribe((m) => received.push(m));
    await until(() => received.length === 2, 'two records');
    received[1]!.ack();
    subscription.unsubscribe();
    await until(() => ended.length === 2, 'both traces ended');
    expect(at(ended, 0, 1n)!.abandoned).toBeUndefined();
    expect(at(ended, 0, 0n)!.abandoned).toMatch(/subscription ended before the message was acknowledged/);
    await until(() => consumer.calls.includes('unsubscribe'), 'leaving the group');
  });

  it('ends the trace of a message acknowledged synchronously in its emission (regression: it stayed open)', async () => {
    const ended = watchProcess();
    const consumer = new FakeConsumer();
    consumer.push(fakeRecord('t', 0, 0), fakeRecord('t', 0, 1));
    let received = 0;
    const subscription = fromConsumer(consumer, { topics: 't' }).subscribe((m) => {
      received++;
      m.ack();
    });
    await until(() => received === 2, 'two records');
    expect(ended.map((p) => [p.records[0]!.offset, p.abandoned])).toEqual([
      [0n, undefined],
      [1n, undefined],
    ]);
    subscription.unsubscribe();
    await until(() => consumer.calls.includes('unsubscribe'), 'leaving the group');
    expect(ended).toHaveLength(2);
  });
});
