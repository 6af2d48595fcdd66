import { Consumer, deserializers, InvalidArgumentError, MaxPollIntervalExceededError } from '@vltava/core';
import { type Observable, retry, Subject, take, takeUntil } from 'rxjs';
import { describe, expect, expectTypeOf, it } from 'vitest';
import { FakeConsumer, makeRecord, settle, until } from '../test/support/fake-consumer.js';
import { fromConsumer } from './from-consumer.js';
import type { KafkaMessage } from './kafka-message.js';

type Message = KafkaMessage<string, string>;

const records = (topic: string, partition: number, from: number, count: number) =>
  Array.from({ length: count }, (_, i) => makeRecord(topic, partition, from + i));

describe('fromConsumer: reading', () => {
  it('subscribes, reads in manual mode and emits each record unchanged with its ack', async () => {
    const consumer = new FakeConsumer();
    const record = makeRecord('t', 0, 5);
    consumer.push(record);
    const received: Message[] = [];
    const subscription = fromConsumer(consumer, { topics: ['t'] }).subscribe((m) => received.push(m));
    await until(() => received.length === 1, 'a record');
    expect(consumer.calls.slice(0, 2)).toEqual(['subscribe:t', 'records:manual']);
    expect(received[0]!.record).toBe(record);
    expect([received[0]!.topic, received[0]!.partition, received[0]!.offset]).toEqual(['t', 0, 5n]);
    received[0]!.ack();
    expect(consumer.acknowledged.get('t:0')).toBe(6n);
    subscription.unsubscribe();
  });

  it('reads a manual assignment without subscribing, and does not unsubscribe it at the end', async () => {
    const consumer = new FakeConsumer();
    consumer.assign([{ topic: 't', partition: 0 }]);
    consumer.push(...records('t', 0, 0, 2));
    const received: Message[] = [];
    const subscription = fromConsumer(consumer).subscribe((m) => received.push(m));
    await until(() => received.length === 2, 'two records');
    subscription.unsubscribe();
    await until(() => consumer.calls.includes('return'), 'the read to end');
    await settle();
    expect(consumer.calls.filter((c) => c.startsWith('subscribe') || c === 'unsubscribe')).toEqual([]);
  });

  it('fails with a typed error when there is nothing to read', async () => {
    const error = await new Promise((resolve) => fromConsumer(new FakeConsumer()).subscribe({ error: resolve }));
    expect(error).toBeInstanceOf(InvalidArgumentError);
    expect(String(error)).toMatch(/pass `topics`/);
  });

  it('a second subscription to the same consumer fails at once and leaves the first one reading', async () => {
    const consumer = new FakeConsumer();
    const source = fromConsumer(consumer, { topics: 't' });
    const received: Message[] = [];
    const first = source.subscribe((m) => received.push(m));
    const error = await new Promise((resolve) => source.subscribe({ error: resolve }));
    expect(error).toBeInstanceOf(InvalidArgumentError);
    expect(String(error)).toMatch(/share\(\)/);
    consumer.push(makeRecord('t', 0, 0));
    await until(() => received.length === 1, 'the first subscription to go on');
    expect(consumer.calls.filter((c) => c.startsWith('subscribe') || c === 'unsubscribe')).toEqual(['subscribe:t']);
    first.unsubscribe();
    await until(() => consumer.calls.includes('unsubscribe'), 'leaving the group');
    // Free again once the first one ended.
    const again = source.subscribe();
    await until(() => consumer.calls.filter((c) => c.startsWith('subscribe')).length === 2, 'a new subscription');
    again.unsubscribe();
  });

  it('rejects bad water marks as a typed error at subscription', async () => {
    const error = await new Promise((resolve) =>
      fromConsumer(new FakeConsumer(), { topics: 't', highWaterMark: 10, lowWaterMark: 10 }).subscribe({
        error: resolve,
      }),
    );
    expect(error).toBeInstanceOf(InvalidArgumentError);
  });
});

describe('fromConsumer: types', () => {
  it("emits KafkaMessages typed by the consumer's deserializers", () => {
    const consumer = new Consumer({ brokers: ['127.0.0.1:1'], valueDeserializer: deserializers.json<{ n: number }>() });
    expectTypeOf(fromConsumer(consumer, { topics: 't' })).toEqualTypeOf<
      Observable<KafkaMessage<Buffer | null, { n: number } | null>>
    >();
    expectTypeOf(fromConsumer(() => consumer)).toEqualTypeOf<
      Observable<KafkaMessage<Buffer | null, { n: number } | null>>
    >();
    void consumer.close();
  });
});

describe('fromConsumer: backpressure', () => {
  it('stops pulling at the high-water mark and pauses the partitions concerned; resumes at the low-water mark', async () => {
    const consumer = new FakeConsumer();
    consumer.push(...records('t', 0, 0, 5), ...records('t', 1, 0, 10));
    const received: Message[] = [];
    const subscription = fromConsumer(consumer, { topics: 't', highWaterMark: 8, lowWaterMark: 3 }).subscribe((m) =>
      received.push(m),
    );
    await until(() => received.length === 8, 'eight records');
    await settle();
    await settle();
    expect(received).toHaveLength(8);
    expect(consumer.pulled).toBe(8); // nothing pulled beyond the mark
    expect(consumer.calls).toContain('pause:t:0,t:1');
    expect([...consumer.pausedKeys].sort()).toEqual(['t:0', 't:1']);
    // Acknowledge down to 4 unacknowledged: still above the low-water mark.
    for (const m of received.slice(0, 4)) m.ack();
    await settle();
    expect(consumer.pulled).toBe(8);
    received[4]!.ack(); // 3 left (t:1 0-2): resume, and read 5 more (t:1 3-7) up to the mark again
    await until(() => received.length === 13, 'reading to resume');
    expect(consumer.calls).toContain('resume:t:0,t:1');
    await settle();
    expect(received).toHaveLength(13);
    expect(consumer.pulled).toBe(13);
    // Paused again; only t:1 holds unacknowledged records now.
    expect(consumer.calls.at(-1)).toBe('pause:t:1');
    expect([...consumer.pausedKeys]).toEqual(['t:1']);
    subscription.unsubscribe();
  });

  it('never lets the records emitted and not acknowledged exceed the high-water mark with a slow subscriber', async () => {
    const consumer = new FakeConsumer();
    consumer.push(...records('t', 0, 0, 300));
    let inFlight = 0;
    let maxInFlight = 0;
    let acked = 0;
    const pending: Message[] = [];
    const subscription = fromConsumer(consumer, { topics: 't', highWaterMark: 20 }).subscribe((m) => {
      inFlight++;
      maxInFlight = Math.max(maxInFlight, inFlight);
      pending.push(m);
    });
    while (acked < 300) {
      await settle();
      // Acknowledge a few per turn, out of order.
      for (const m of pending.splice(0, 3).reverse()) {
        m.ack();
        inFlight--;
        acked++;
      }
      if (pending.length === 0 && consumer.queued === 0 && acked < 300) await until(() => pending.length > 0, 'more');
    }
    expect(maxInFlight).toBe(20);
    expect(consumer.acknowledged.get('t:0')).toBe(300n);
    subscription.unsubscribe();
  });

  it('uses only backpressure pauses, never the application pauses', async () => {
    const consumer = new FakeConsumer();
    consumer.push(...records('t', 0, 0, 3));
    const subscription = fromConsumer(consumer, { topics: 't', highWaterMark: 2, lowWaterMark: 0 }).subscribe();
    await until(() => consumer.pausedKeys.size === 1, 'a pause');
    // FakeConsumer has no pause()/resume(): calling them would have thrown. The pauses went through backpressure.
    expect('pause' in consumer).toBe(false);
    subscription.unsubscribe();
    await until(() => consumer.pausedKeys.size === 0, 'the pause to be lifted at unsubscribe');
  });
});

describe('fromConsumer: teardown', () => {
  it('unsubscribing while no record arrives ends the read, commits the acknowledged offsets, then leaves', async () => {
    const consumer = new FakeConsumer();
    consumer.push(...records('t', 0, 0, 3));
    const received: Message[] = [];
    const subscription = fromConsumer(consumer, { topics: 't' }).subscribe((m) => received.push(m));
    await until(() => received.length === 3, 'three records');
    received[0]!.ack();
    received[2]!.ack(); // gap at 1: only offset 1 may be committed
    subscription.unsubscribe();
    await until(() => consumer.calls.includes('unsubscribe'), 'leaving the group');
    const tail = consumer.calls.slice(consumer.calls.indexOf('return'));
    expect(tail).toEqual(['return', 'commit:t:0@1', 'unsubscribe']);
    expect(consumer.closed).toBe(false);
    // Acknowledgements after the end are ignored.
    received[1]!.ack();
    await settle();
    expect(consumer.commits).toEqual([[{ topic: 't', partition: 0, offset: 1n, leaderEpoch: 0 }]]);
  });

  it('a factory makes a consumer per subscription and closes it at the end', async () => {
    const made: FakeConsumer[] = [];
    const source = fromConsumer(
      () => {
        const consumer = new FakeConsumer();
        consumer.push(makeRecord('t', 0, made.length));
        made.push(consumer);
        return consumer;
      },
      { topics: 't' },
    );
    const first = await new Promise<Message>((resolve) => source.pipe(take(1)).subscribe(resolve));
    const second = await new Promise<Message>((resolve) => source.pipe(take(1)).subscribe(resolve));
    expect([first.offset, second.offset]).toEqual([0n, 1n]);
    await until(() => made.every((c) => c.closed), 'both consumers closed');
    expect(made[0]!.calls.includes('unsubscribe')).toBe(false);
  });

  it('takeUntil ends the subscription promptly too', async () => {
    const consumer = new FakeConsumer();
    const stop = new Subject<void>();
    fromConsumer(consumer, { topics: 't' }).pipe(takeUntil(stop)).subscribe();
    await settle();
    stop.next();
    await until(() => consumer.calls.includes('unsubscribe'), 'leaving the group');
  });
});

describe('fromConsumer: errors', () => {
  it('raises the consumer error to the subscriber, then commits and leaves', async () => {
    const consumer = new FakeConsumer();
    consumer.push(makeRecord('t', 0, 0));
    consumer.fail(new MaxPollIntervalExceededError('too slow'));
    const received: Message[] = [];
    const error = await new Promise((resolve) =>
      fromConsumer(consumer, { topics: 't' }).subscribe({
        next: (m) => {
          received.push(m);
          m.ack();
        },
        error: resolve,
      }),
    );
    expect(error).toBeInstanceOf(MaxPollIntervalExceededError);
    await until(() => consumer.calls.includes('unsubscribe'), 'leaving the group');
    expect(consumer.commits).toEqual([[expect.objectContaining({ offset: 1n })]]);
  });

  it('retry() starts a fresh consumer after an error and closes the failed one', async () => {
    const made: FakeConsumer[] = [];
    const received: bigint[] = [];
    const done = new Promise<void>((resolve) =>
      fromConsumer(
        () => {
          const consumer = new FakeConsumer();
          if (made.length === 0) {
            consumer.push(makeRecord('t', 0, 0));
            consumer.fail(new MaxPollIntervalExceededError('too slow'));
          } else {
            consumer.push(makeRecord('t', 0, 1));
          }
          made.push(consumer);
          return consumer;
        },
        { topics: 't' },
      )
        .pipe(retry(1), take(2))
        .subscribe({ next: (m) => received.push(m.offset), complete: resolve }),
    );
    await done;
    expect(received).toEqual([0n, 1n]);
    expect(made).toHaveLength(2);
    await until(() => made.every((c) => c.closed), 'both consumers closed');
  });
});

describe('fromConsumer: rebalances', () => {
  it('a revocation waits for in-flight records, commits them, then calls the listener; later acks are ignored', async () => {
    const consumer = new FakeConsumer();
    const events: string[] = [];
    consumer.push(...records('t', 0, 0, 2), ...records('t', 1, 0, 2));
    const received: Message[] = [];
    const subscription = fromConsumer(consumer, {
      topics: 't',
      listener: { onPartitionsRevoked: (p) => void events.push(`revoked:${p.length}`) },
    }).subscribe((m) => received.push(m));
    await until(() => received.length === 4, 'four records');
    let revoked = false;
    const revoking = consumer.rebalanceRevoke([{ topic: 't', partition: 0 }]).then(() => {
      revoked = true;
    });
    await settle();
    expect(revoked).toBe(false); // t:0 has two records in flight
    received[0]!.ack();
    await settle();
    expect(revoked).toBe(false);
    received[1]!.ack();
    await revoking;
    expect(events).toEqual(['revoked:1']);
    expect(consumer.commits).toEqual([[{ topic: 't', partition: 0, offset: 2n, leaderEpoch: 0 }]]);
    subscription.unsubscribe();
    await until(() => consumer.calls.includes('unsubscribe'), 'leaving the group');
  });

  it('a revocation lets the rebalance go on after drainTimeoutMs; the late acknowledgement is dropped', async () => {
    const consumer = new FakeConsumer();
    consumer.push(...records('t', 0, 0, 2));
    const received: Message[] = [];
    const subscription = fromConsumer(consumer, { topics: 't', drainTimeoutMs: 30 }).subscribe((m) => received.push(m));
    await until(() => received.length === 2, 'two records');
    received[0]!.ack();
    await consumer.rebalanceRevoke([{ topic: 't', partition: 0 }]);
    expect(consumer.commits).toEqual([[expect.objectContaining({ offset: 1n })]]);
    received[1]!.ack(); // belongs to the old assignment
    subscription.unsubscribe();
    await until(() => consumer.calls.includes('unsubscribe'), 'leaving the group');
    expect(consumer.commits).toHaveLength(1);
    expect(consumer.acknowledged.get('t:0')).toBe(1n);
  });

  it('lost partitions are retired at once: no drain, no commit', async () => {
    const consumer = new FakeConsumer();
    consumer.push(...records('t', 0, 0, 1));
    const received: Message[] = [];
    const subscription = fromConsumer(consumer, { topics: 't' }).subscribe((m) => received.push(m));
    await until(() => received.length === 1, 'a record');
    await consumer.rebalanceLose([{ topic: 't', partition: 0 }]);
    received[0]!.ack();
    subscription.unsubscribe();
    await until(() => consumer.calls.includes('unsubscribe'), 'leaving the group');
    expect(consumer.commits).toEqual([]);
  });
});
