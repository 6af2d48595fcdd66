import { FakeConsumer, FakeProducer, fakeRecord, until } from '@vltava/client-fakes';
import { AbortableTransactionError, InvalidArgumentError, KafkaTimeoutError } from '@vltava/core';
import { Subject } from 'rxjs';
import { describe, expect, it } from 'vitest';
import { AckTracker } from './ack-tracker.js';
import type { KafkaMessage } from './kafka-message.js';
import { type CommittedTransaction, sendTransactionally } from './send-transactionally.js';
import { resolveWaterMarks } from './water-marks.js';

type Message = KafkaMessage<string, string>;

function setup(options: { maxBatch?: number; maxIntervalMs?: number } = {}) {
  const consumer = new FakeConsumer();
  const producer = new FakeProducer();
  producer.ack = () => ({ delay: 1 });
  const tracker = new AckTracker<string, string>(resolveWaterMarks({ highWaterMark: 1000 }), {
    acknowledge: (record) => consumer.acknowledge(record),
    commit: () => Promise.resolve(),
    pause: () => undefined,
    resume: () => undefined,
  });
  const messages = new Subject<Message>();
  const results: CommittedTransaction[] = [];
  let error: unknown;
  let completed = false;
  const subscription = messages
    .pipe(
      sendTransactionally(
        producer,
        consumer,
        (m) => (m.record.value === 'skip' ? null : { topic: 'out', value: m.record.value }),
        {
          maxBatch: options.maxBatch ?? 100,
          maxIntervalMs: options.maxIntervalMs ?? 10_000,
        },
      ),
    )
    .subscribe({
      next: (r) => results.push(r),
      error: (e) => {
        error = e;
      },
      complete: () => {
        completed = true;
      },
    });
  const push = (partition: number, offset: number, value = `v${offset}`) => {
    const message = tracker.track(fakeRecord('in', partition, offset, value));
    messages.next(message);
    return message;
  };
  return {
    consumer,
    producer,
    messages,
    results,
    subscription,
    push,
    error: () => error,
    completed: () => completed,
  };
}

describe('sendTransactionally', () => {
  it('one transaction per maxBatch messages: records, then the offsets after them, then the commit; acks after', async () => {
    const t = setup({ maxBatch: 2 });
    const m = [t.push(0, 0), t.push(1, 0), t.push(0, 1), t.push(0, 2, 'skip'), t.push(1, 1)];
    t.messages.complete();
    await until(() => t.completed(), 'completion');
    expect(t.producer.calls).toEqual([
      'begin',
      'send:v0',
      'send:v0',
      'offsets:fake-group:in:0@1,in:1@1',
      'commit',
      'begin',
      'send:v1',
      'offsets:fake-group:in:0@3', // the record mapped to nothing still counts for its partition's offset
      'commit',
      'begin',
      'send:v1',
      'offsets:fake-group:in:1@2',
      'commit',
    ]);
    expect(t.results.map((r) => [r.messages, r.records])).toEqual([
      [2, 2],
      [2, 1],
      [1, 1],
    ]);
    expect(m.every((x) => x.acknowledged)).toBe(true);
    expect(t.consumer.acknowledged.get('in:0')).toBe(3n);
  });

  it('closes a transaction maxIntervalMs after its first message', async () => {
    const t = setup({ maxBatch: 100, maxIntervalMs: 20 });
    const started = Date.now();
    t.push(0, 0);
    t.push(0, 1);
    await until(() => t.results.length === 1, 'a commit');
    expect(Date.now() - started).toBeGreaterThanOrEqual(15);
    expect(t.results[0]!.offsets).toEqual([{ topic: 'in', partition: 0, offset: 2n, leaderEpoch: 0 }]);
    t.subscription.unsubscribe();
  });

  it('messages arriving during a commit go into the next transaction', async () => {
    const t = setup({ maxBatch: 1 });
    t.producer.ack = () => ({ delay: 20 });
    t.push(0, 0); // commits at once (maxBatch 1) and waits ~20 ms for its record
    t.push(0, 1);
    t.push(0, 2);
    expect(t.producer.calls.filter((c) => c === 'begin')).toHaveLength(1);
    t.messages.complete();
    await until(() => t.completed(), 'completion', 5000);
    expect(t.results.map((r) => r.offsets[0]!.offset)).toEqual([1n, 2n, 3n]);
  });

  it('a failed record aborts the transaction and errors the stream; its messages stay unacknowledged', async () => {
    const t = setup({ maxBatch: 2 });
    const failure = new KafkaTimeoutError('delivery timed out');
    t.producer.ack = (record) => (record.value === 'v1' ? { delay: 1, error: failure } : { delay: 1 });
    const m = [t.push(0, 0), t.push(0, 1)];
    await until(() => t.error() !== undefined, 'the error');
    expect(t.error()).toBeInstanceOf(AbortableTransactionError);
    expect((t.error() as Error).cause).toBe(failure);
    expect(t.producer.calls.slice(-2)).toEqual(['commit-failed', 'abort']);
    expect(m.some((x) => x.acknowledged)).toBe(false);
    expect(t.consumer.acknowledged.size).toBe(0);
  });

  it('unsubscribing aborts an open transaction', async () => {
    const t = setup({ maxBatch: 10 });
    t.push(0, 0);
    t.subscription.unsubscribe();
    await until(() => t.producer.calls.includes('abort'), 'the abort');
    expect(t.producer.calls).not.toContain('commit');
  });

  it('a new subscription on the same producer begins only after the abort the previous one left', async () => {
    const t = setup({ maxBatch: 10 });
    let finishAbort: () => void = () => undefined;
    t.producer.abortTransaction = () => {
      t.producer.calls.push('abort-start');
      return new Promise<void>((resolve) => {
        finishAbort = () => {
          t.producer.calls.push('abort-done');
          resolve();
        };
      });
    };
    t.push(0, 0);
    t.subscription.unsubscribe(); // aborts the open transaction (slowly)
    const again = new Subject<Message>();
    const results: CommittedTransaction[] = [];
    again
      .pipe(
        sendTransactionally(t.producer, t.consumer, (m) => ({ topic: 'out', value: m.record.value }), { maxBatch: 1 }),
      )
      .subscribe((r) => results.push(r));
    const tracker = new AckTracker<string, string>(resolveWaterMarks({}), {
      acknowledge: () => undefined,
      commit: () => Promise.resolve(),
      pause: () => undefined,
      resume: () => undefined,
    });
    again.next(tracker.track(fakeRecord('in', 0, 0, 'v0')));
    await until(() => t.producer.calls.includes('abort-start'), 'the abort to start');
    expect(t.producer.calls.filter((c) => c === 'begin')).toHaveLength(1); // the new one waits for the abort
    finishAbort();
    await until(() => results.length === 1, 'the next transaction');
    expect(t.producer.calls.slice(t.producer.calls.indexOf('abort-start'))).toEqual([
      'abort-start',
      'abort-done',
      'begin',
      'send:v0',
      'offsets:fake-group:in:0@1',
      'commit',
    ]);
  });

  it('rejects bad options', () => {
    const producer = new FakeProducer();
    const consumer = new FakeConsumer();
    expect(() => sendTransactionally(producer, consumer, () => null, { maxBatch: 0 })).toThrow(InvalidArgumentError);
    expect(() => sendTransactionally(producer, consumer, () => null, { maxIntervalMs: -1 })).toThrow(
      InvalidArgumentError,
    );
  });
});
