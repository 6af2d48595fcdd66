import { FakeProducer, settle, until } from '@vltava/client-fakes';
import {
  InvalidArgumentError,
  KafkaTimeoutError,
  type RecordMetadata,
  type SendResult,
  type SendSuccess,
} from '@vltava/core';
import { from, type Observable, type OperatorFunction, Subject, type Subscription } from 'rxjs';
import { describe, expect, expectTypeOf, it } from 'vitest';
import { sendTo } from './send-to.js';
import { toProducer } from './to-producer.js';

/** Subscribes and records every notification, in order; resolves `done` at completion or error. */
function record<T>(source: Observable<T>, describe: (value: T) => unknown = (v) => v) {
  const events: unknown[] = [];
  let subscription: Subscription | undefined;
  const done = new Promise<void>((resolve) => {
    subscription = source.subscribe({
      next: (value) => events.push(describe(value)),
      error: (error: unknown) => {
        events.push({ error });
        resolve();
      },
      complete: () => {
        events.push('complete');
        resolve();
      },
    });
  });
  return { events, done, unsubscribe: () => subscription?.unsubscribe() };
}

const meta = (value: string, offset: number, topic = 'out', partition = 0): RecordMetadata => ({
  topic,
  partition,
  offset: BigInt(offset),
  timestamp: 0,
  serializedKeySize: -1,
  serializedValueSize: value.length,
});

/** Plain data of a result, for comparisons. */
const plain = <T>(r: SendResult<T>) =>
  r.ok ? { ok: true, source: r.source, metadata: [...r.metadata] } : { ...r, metadata: [...r.metadata] };

describe('sendTo', () => {
  it('emits each emission with its metadata, in the order of the emissions, and completes after the last ack', async () => {
    const producer = new FakeProducer<string | null, string | null>();
    producer.ack = (r) => ({ delay: r.value === 'b' ? 30 : 1 }); // b is acknowledged last: c waits for it
    const source = new Subject<string>();
    const { events, done } = record(source.pipe(sendTo(producer, { topic: 'out' })), plain);
    source.next('a');
    await until(() => events.length === 1, 'the first result');
    source.next('b');
    await settle();
    source.next('c');
    source.complete();
    await done;
    expect(events).toEqual([
      { ok: true, source: 'a', metadata: [meta('a', 0)] },
      { ok: true, source: 'b', metadata: [meta('b', 2)] },
      { ok: true, source: 'c', metadata: [meta('c', 1)] },
      'complete',
    ]);
  });

  it('bounds the records in flight: later emissions wait inside the operator, and the producer is flushed', async () => {
    const producer = new FakeProducer<string | null, string | null>();
    let most = 0;
    producer.ack = () => {
      most = Math.max(most, producer.pending + 1);
      return { delay: 1 };
    };
    const { events, done } = record(
      from(['a', 'b', 'c', 'd', 'e']).pipe(sendTo(producer, { topic: 'out' }, { maxInFlight: 2 })),
      (r) => `${r.source}:${r.metadata[0]!.offset}`,
    );
    await done;
    expect(most).toBe(2);
    expect(producer.batchSizes).toEqual([2, 2, 1]);
    // Blocked at the bound, nothing more joins the producer's batches: each hand-over is flushed, not lingered on.
    expect(producer.calls.filter((c) => c === 'flush').length).toBeGreaterThanOrEqual(3);
    expect(events).toEqual(['a:0', 'b:1', 'c:2', 'd:3', 'e:4', 'complete']);
  });

  it('hands a synchronous burst to the producer as one array, and flushes on completion', async () => {
    const producer = new FakeProducer<string | null, string | null>();
    const values = Array.from({ length: 50 }, (_, i) => `v${i}`);
    const { events, done } = record(from(values).pipe(sendTo(producer, (v: string) => ({ topic: 'out', value: v }))));
    await done;
    expect(producer.batchSizes).toEqual([50]);
    expect(producer.calls).toEqual(['sendBatch:50', 'flush']);
    expect(events).toHaveLength(51);
  });

  it('a trickle of emissions goes to the producer as it comes, without flushing: the producer lingers', async () => {
    const producer = new FakeProducer<string | null, string | null>();
    producer.ack = () => ({ delay: 50 }); // a linger of sorts: nothing is acknowledged while the trickle runs
    const source = new Subject<string>();
    const { events, done } = record(source.pipe(sendTo(producer, { topic: 'out' })));
    for (let i = 0; i < 5; i++) {
      source.next(`v${i}`);
      await settle();
    }
    expect(producer.batchSizes).toEqual([1, 1, 1, 1, 1]);
    expect(producer.lingered).toEqual([true, true, true, true, true]); // each hand-over asks for the linger
    expect(producer.flushes).toBe(0);
    source.complete();
    await done;
    expect(producer.flushes).toBe(1);
    expect(events).toHaveLength(6);
  });

  it('maps an emission to several records, or to none, and keeps the correlation', async () => {
    const producer = new FakeProducer<string | null, string | null>();
    const mapper = (n: number) =>
      n === 0 ? null : Array.from({ length: n }, (_, i) => ({ topic: 'out', partition: i, value: `${n}.${i}` }));
    const { events, done } = record(from([3, 0, 1]).pipe(sendTo(producer, mapper)), plain);
    await done;
    expect(events).toEqual([
      { ok: true, source: 3, metadata: [meta('3.0', 0, 'out', 0), meta('3.1', 0, 'out', 1), meta('3.2', 0, 'out', 2)] },
      { ok: true, source: 0, metadata: [] }, // no record: emitted in its turn, after the one before it
      { ok: true, source: 1, metadata: [meta('1.0', 1, 'out', 0)] },
      'complete',
    ]);
  });

  it('errors the stream with the typed error of a failed delivery, after the results before it', async () => {
    const producer = new FakeProducer<string | null, string | null>();
    const failure = new KafkaTimeoutError('delivery timed out');
    producer.ack = (r) => (r.value === 'b' ? { error: failure } : {});
    const { events, done } = record(from(['a', 'b', 'c']).pipe(sendTo(producer, { topic: 'out' })), plain);
    await done;
    expect(events).toEqual([{ ok: true, source: 'a', metadata: [meta('a', 0)] }, { error: failure }]);
  });

  it("with errors: 'emit', emits the failure and goes on", async () => {
    const producer = new FakeProducer<string | null, string | null>();
    const failure = new KafkaTimeoutError('delivery timed out');
    producer.ack = (r) => (r.value === 'b' ? { error: failure } : {});
    const { events, done } = record(
      from(['a', 'b', 'c']).pipe(sendTo(producer, { topic: 'out' }, { errors: 'emit' })),
      plain,
    );
    await done;
    expect(events).toEqual([
      { ok: true, source: 'a', metadata: [meta('a', 0)] },
      { ok: false, source: 'b', error: failure, metadata: [undefined] },
      { ok: true, source: 'c', metadata: [meta('c', 1)] },
      'complete',
    ]);
  });

  it('a mapper that throws errors the stream', async () => {
    const boom = new InvalidArgumentError('bad value');
    const mapper = (v: string) => {
      if (v === 'b') throw boom;
      return { topic: 'out', value: v };
    };
    const { events, done } = record(from(['a', 'b']).pipe(sendTo(new FakeProducer(), mapper)));
    await done;
    expect(events).toEqual([{ error: boom }]);
  });

  it('a mapper runs on arrival: its error surfaces at once, even behind emissions that wait', async () => {
    const producer = new FakeProducer<string | null, string | null>();
    const boom = new InvalidArgumentError('bad value');
    const mapper = (v: string) => {
      if (v === 'c') throw boom;
      return { topic: 'out', value: v };
    };
    const { events, done } = record(from(['a', 'b', 'c']).pipe(sendTo(producer, mapper, { maxInFlight: 1 })));
    await done;
    expect(events).toEqual([{ error: boom }]);
    expect(producer.sent.map((s) => s.record.value)).toEqual(['a']);
  });

  it('a long synchronous burst to { topic } goes out in order under maxInFlight, and completes', async () => {
    const producer = new FakeProducer<string | null, string | null>();
    let most = 0;
    producer.ack = () => {
      most = Math.max(most, producer.pending + 1);
      return {};
    };
    const values = Array.from({ length: 3000 }, (_, i) => `v${i}`);
    const { events, done } = record(
      from(values).pipe(sendTo(producer, { topic: 'out' }, { maxInFlight: 100 })),
      (r) => r.source,
    );
    await done;
    expect(producer.sent.map((s) => s.record.value)).toEqual(values);
    expect(most).toBe(100);
    expect(events).toEqual([...values, 'complete']);
  });

  it('unsubscribing stops sending the emissions that wait', async () => {
    const producer = new FakeProducer<string | null, string | null>();
    const { events, unsubscribe } = record(
      from(['a', 'b', 'c', 'd']).pipe(sendTo(producer, { topic: 'out' }, { maxInFlight: 1 })),
      (r) => r.source,
    );
    await until(() => events.length === 1, 'the first result');
    unsubscribe();
    await until(() => producer.pending === 0, 'the records handed over to settle');
    expect(events).toEqual(['a']);
    expect(producer.sent.map((s) => s.record.value)).toEqual(['a', 'b']);
  });

  it('rejects a bad maxInFlight and a bad target', () => {
    expect(() => sendTo(new FakeProducer(), { topic: 'x' }, { maxInFlight: 0 })).toThrow(InvalidArgumentError);
    expect(() => sendTo(new FakeProducer(), { topic: '' })).toThrow(InvalidArgumentError);
  });
});

describe('sendTo types', () => {
  it('{ topic } sends the emission as the value; a mapper takes any emission; errors: emit widens the result', () => {
    const producer = new FakeProducer<string | null, string | null>();
    expectTypeOf(sendTo(producer, { topic: 'out' })).toEqualTypeOf<
      OperatorFunction<string | null, SendSuccess<string | null>>
    >();
    expectTypeOf(sendTo(producer, (n: number) => ({ topic: 'out', value: String(n) }))).toEqualTypeOf<
      OperatorFunction<number, SendSuccess<number>>
    >();
    expectTypeOf(
      sendTo(producer, (n: number) => [{ topic: 'out', value: String(n) }], { errors: 'emit' }),
    ).toEqualTypeOf<OperatorFunction<number, SendResult<number>>>();
    // @ts-expect-error a mapper must return records of the producer's types
    sendTo(producer, (n: number) => ({ topic: 'out', value: n }));
  });
});

describe('toProducer', () => {
  it('sends every value and completes once all are acknowledged', async () => {
    const producer = new FakeProducer<string | null, string | null>();
    producer.ack = () => ({ delay: 5 });
    const values = new Subject<string>();
    const completed = new Promise<void>((resolve) =>
      values.subscribe(toProducer(producer, { topic: 'out' }, { onComplete: resolve })),
    );
    values.next('a');
    values.next('b');
    values.complete();
    expect(producer.pending).toBe(2);
    await completed;
    expect(producer.pending).toBe(0);
    expect(producer.sent.map((s) => s.record)).toEqual([
      { topic: 'out', value: 'a' },
      { topic: 'out', value: 'b' },
    ]);
  });

  it('reports a failed delivery to onError and sends nothing after it', async () => {
    const producer = new FakeProducer<string | null, string | null>();
    const failure = new KafkaTimeoutError('delivery timed out');
    producer.ack = (record) => (record.value === 'a' ? { delay: 1, error: failure } : { delay: 1 });
    const values = new Subject<string>();
    const failed = new Promise((resolve) =>
      values.subscribe(toProducer(producer, { topic: 'out' }, { onError: resolve })),
    );
    values.next('a');
    expect(await failed).toBe(failure);
    values.next('b');
    expect(producer.sent).toHaveLength(1);
  });
});
