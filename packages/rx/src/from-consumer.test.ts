import { FakeConsumer, fakeRecord, settle, until } from '@vltava/client-fakes';
import {
  Consumer,
  deserializers,
  InvalidArgumentError,
  type LogFields,
  MaxPollIntervalExceededError,
  silentLogger,
} from '@vltava/core';
import { concatMap, type Observable, retry, Subject, take, takeUntil } from 'rxjs';
import { describe, expect, expectTypeOf, it } from 'vitest';
import { fromConsumer } from './from-consumer.js';
import type { KafkaMessage } from './kafka-message.js';
import { metrics } from './rx-metrics.js';

/** The process-wide count of uncommitted acknowledgements for the fake consumer's group. */
const uncommittedCount = () =>
  metrics().find((m) => m.name === 'vltava_rx_acknowledgements_uncommitted_total' && m.labels.group === 'fake-group')
    ?.value ?? 0;

type Message = KafkaMessage<string, string>;

const records = (topic: string, partition: number, from: number, count: number) =>
  Array.from({ length: count }, (_, i) => fakeRecord(topic, partition, from + i));

describe('fromConsumer: reading', () => {
  it('subscribes, reads in manual mode and emits each record unchanged with its ack', async () => {
    const consumer = new FakeConsumer();
    const record = fakeRecord('t', 0, 5);
    consumer.push(record);
    const received: Message[] = [];
    const subscription = fromConsumer(consumer, { topics: ['t'] }).subscribe((m) => received.push(m));
    await until(() => received.length === 1, 'a record');
    expect(consumer.calls.slice(0, 2)).toEqual(['subscribe:t', 'batches:manual']);
    expect(received[0]!.record).toBe(record);
    expect([received[0]!.topic, received[0]!.partition, received[0]!.offset]).toEqual(['t', 0, 5n]);
    received[0]!.ack();
    await settle(); // the consumer is told once per turn of the microtask queue
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
    consumer.push(fakeRecord('t', 0, 0));
    await until(() => received.length === 1, 'the first subscription to go on');
    received[0]!.ack();
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
    expect(consumer.pulled).toBe(8); // a batch holds at most the high-water mark: nothing taken beyond it
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
    expect(consumer.pulled).toBe(15); // the rest of the batch (t:1 8-9) waits in hand, not emitted
    // Paused again; only t:1 holds unacknowledged records now.
    expect(consumer.calls.at(-1)).toBe('pause:t:1');
    expect([...consumer.pausedKeys]).toEqual(['t:1']);
    for (const m of received) m.ack();
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
    await settle();
    expect(consumer.acknowledged.get('t:0')).toBe(300n);
    subscription.unsubscribe();
  });

  it('uses only backpressure pauses, never the application pauses', async () => {
    const consumer = new FakeConsumer();
    consumer.push(...records('t', 0, 0, 3));
    const received: Message[] = [];
    const subscription = fromConsumer(consumer, { topics: 't', highWaterMark: 2, lowWaterMark: 0 }).subscribe((m) =>
      received.push(m),
    );
    await until(() => consumer.pausedKeys.size === 1, 'a pause');
    for (const m of received) m.ack();
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
    received[2]!.ack(); // gap at 1: only offset 1 may be committed so far
    subscription.unsubscribe();
    await until(() => consumer.calls.includes('return'), 'the read to end');
    await settle();
    // The records emitted get drainTimeoutMs to be acknowledged: nothing committed, nobody left yet.
    expect(consumer.calls.slice(consumer.calls.indexOf('return'))).toEqual(['return']);
    received[1]!.ack(); // the gap fills while draining: acknowledged means committed
    await until(() => consumer.calls.includes('unsubscribe'), 'leaving the group');
    expect(consumer.calls.slice(consumer.calls.indexOf('return'))).toEqual(['return', 'commit:t:0@3', 'unsubscribe']);
    expect(consumer.closed).toBe(false);
  });

  it('take(n) before the processing step: every record acknowledged after take completed is committed', async () => {
    const consumer = new FakeConsumer();
    consumer.push(...records('t', 0, 0, 20));
    const processed: bigint[] = [];
    await new Promise<void>((resolve) =>
      fromConsumer(consumer, { topics: 't' })
        .pipe(
          take(10),
          concatMap(async (message) => {
            await settle(); // some asynchronous work per record: take(10) completes long before the last ack
            processed.push(message.offset);
            message.ack();
          }),
        )
        .subscribe({ complete: resolve }),
    );
    expect(processed).toHaveLength(10);
    await until(() => consumer.calls.includes('unsubscribe'), 'leaving the group');
    expect(consumer.lastCommitted().get('t:0')).toBe(10n);
  });

  it('acknowledgements after drainTimeoutMs are not committed: logged with counts and counted in metrics()', async () => {
    const consumer = new FakeConsumer();
    consumer.push(...records('t', 0, 0, 3));
    const logged: Array<{ message: string; fields: LogFields | undefined }> = [];
    const logger = { ...silentLogger, warn: (message: string, fields?: LogFields) => logged.push({ message, fields }) };
    const received: Message[] = [];
    const before = uncommittedCount();
    const subscription = fromConsumer(consumer, { topics: 't', drainTimeoutMs: 20, logger }).subscribe((m) =>
      received.push(m),
    );
    await until(() => received.length === 3, 'three records');
    received[0]!.ack();
    subscription.unsubscribe();
    await until(() => consumer.calls.includes('unsubscribe'), 'leaving the group');
    expect(consumer.lastCommitted().get('t:0')).toBe(1n);
    expect(logged).toHaveLength(1);
    expect(logged[0]!.message).toMatch(/2 record\(s\) emitted were not acknowledged within drainTimeoutMs \(20 ms\)/);
    expect(logged[0]!.fields).toMatchObject({ group: 'fake-group', records: 2 });
    received[1]!.ack();
    received[2]!.ack();
    expect(uncommittedCount() - before).toBe(2);
    expect(logged).toHaveLength(2); // one line for the first late acknowledgement, the metric counts every one
    expect(logged[1]!.message).toMatch(/acknowledged after .* not committed/);
    expect(consumer.commits).toHaveLength(1);
  });

  it('a factory makes a consumer per subscription and closes it at the end', async () => {
    const made: FakeConsumer[] = [];
    const source = fromConsumer(
      () => {
        const consumer = new FakeConsumer();
        consumer.push(fakeRecord('t', 0, made.length));
        made.push(consumer);
        return consumer;
      },
      { topics: 't' },
    );
    const first = await new Promise<Message>((resolve) => source.pipe(take(1)).subscribe(resolve));
    first.ack();
    const second = await new Promise<Message>((resolve) => source.pipe(take(1)).subscribe(resolve));
    second.ack();
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
    consumer.push(fakeRecord('t', 0, 0));
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
            consumer.push(fakeRecord('t', 0, 0));
            consumer.fail(new MaxPollIntervalExceededError('too slow'));
          } else {
            consumer.push(fakeRecord('t', 0, 1));
          }
          made.push(consumer);
          return consumer;
        },
        { topics: 't' },
      )
        .pipe(retry(1), take(2))
        .subscribe({
          next: (m) => {
            received.push(m.offset);
            m.ack();
          },
          complete: resolve,
        }),
    );
    await done;
    expect(received).toEqual([0n, 1n]);
    expect(made).toHaveLength(2);
    await until(() => made.every((c) => c.closed), 'both consumers closed');
  });
});

describe('fromConsumer: rebalances', () => {
  it('a revocation waits for in-flight records, commits them, then calls the listener', async () => {
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
    received[2]!.ack();
    received[3]!.ack();
    subscription.unsubscribe();
    await until(() => consumer.calls.includes('unsubscribe'), 'leaving the group');
  });

  it('a revocation lets the rebalance go on after drainTimeoutMs; the late acknowledgement is reported', async () => {
    const consumer = new FakeConsumer();
    consumer.push(...records('t', 0, 0, 2));
    const received: Message[] = [];
    const warnings: string[] = [];
    const logger = { ...silentLogger, warn: (message: string) => warnings.push(message) };
    const subscription = fromConsumer(consumer, { topics: 't', drainTimeoutMs: 30, logger }).subscribe((m) =>
      received.push(m),
    );
    await until(() => received.length === 2, 'two records');
    received[0]!.ack();
    await consumer.rebalanceRevoke([{ topic: 't', partition: 0 }]);
    expect(consumer.commits).toEqual([[expect.objectContaining({ offset: 1n })]]);
    expect(warnings).toEqual([expect.stringMatching(/1 record\(s\) .* after their partitions were revoked/)]);
    received[1]!.ack(); // belongs to the old assignment
    expect(warnings).toHaveLength(2);
    subscription.unsubscribe();
    await until(() => consumer.calls.includes('unsubscribe'), 'leaving the group');
    expect(consumer.commits).toHaveLength(1);
    expect(consumer.acknowledged.get('t:0')).toBe(1n);
  });

  it('lost partitions are retired at once: no drain, no commit', async () => {
    const consumer = new FakeConsumer();
    consumer.push(...records('t', 0, 0, 1));
    const received: Message[] = [];
    const subscription = fromConsumer(consumer, { topics: 't', logger: silentLogger }).subscribe((m) =>
      received.push(m),
    );
    await until(() => received.length === 1, 'a record');
    await consumer.rebalanceLose([{ topic: 't', partition: 0 }]);
    received[0]!.ack();
    subscription.unsubscribe();
    await until(() => consumer.calls.includes('unsubscribe'), 'leaving the group');
    expect(consumer.commits).toEqual([]);
  });
});
