import { InvalidArgumentError, KafkaTimeoutError, type RecordMetadata } from '@vltava/core';
import { from, type Observable, type OperatorFunction, Subject } from 'rxjs';
import { TestScheduler } from 'rxjs/testing';
import { describe, expect, expectTypeOf, it } from 'vitest';
import { FakeProducer } from '../test/support/fake-producer.js';
import { type SendResult, type SendSuccess, sendTo } from './send-to.js';
import { toProducer } from './to-producer.js';

/** How many times each value occurs, in first-seen order. */
function countBy(values: readonly number[]): number[] {
  const counts = new Map<number, number>();
  for (const value of values) counts.set(value, (counts.get(value) ?? 0) + 1);
  return [...counts.values()];
}

const scheduler = () => new TestScheduler((actual, expected) => expect(actual).toEqual(expected));

/**
 * Subscribes in virtual time and records `[frame, event]` for every notification: the frames of grouped emissions
 * are hard to write in marble strings (a group takes as many frames as it has characters).
 */
function timeline<T>(test: TestScheduler, source: Observable<T>, describe: (value: T) => unknown = (v) => v) {
  const events: Array<[number, unknown]> = [];
  source.subscribe({
    next: (value) => events.push([test.now(), describe(value)]),
    error: (error: unknown) => events.push([test.now(), { error }]),
    complete: () => events.push([test.now(), 'complete']),
  });
  return events;
}

const meta = (value: string, offset: number, topic = 'out', partition = 0): RecordMetadata => ({
  topic,
  partition,
  offset: BigInt(offset),
  timestamp: 0,
  serializedKeySize: -1,
  serializedValueSize: value.length,
});

describe('sendTo (marbles)', () => {
  it('emits each emission with its metadata, in the order of the emissions, and completes after the last ack', () => {
    scheduler().run(({ hot, expectObservable }) => {
      const producer = new FakeProducer();
      // b is acknowledged late: c (earlier acknowledged) waits for it.
      producer.ack = (record) => ({ delay: record.value === 'b' ? 5 : 2 });
      const source = hot('a-b-c|');
      expectObservable(source.pipe(sendTo(producer, { topic: 'out' }))).toBe('--x----(yz|)', {
        x: { ok: true, source: 'a', metadata: [meta('a', 0)] },
        y: { ok: true, source: 'b', metadata: [meta('b', 2)] },
        z: { ok: true, source: 'c', metadata: [meta('c', 1)] },
      });
    });
  });

  it('bounds the records in flight: later emissions wait inside the operator', () => {
    const test = scheduler();
    test.run(({ cold, flush }) => {
      const producer = new FakeProducer();
      const events = timeline(
        test,
        cold('(abcde|)').pipe(sendTo(producer, { topic: 'out' }, { maxInFlight: 2 })),
        (r) => `${r.source}:${r.metadata[0]!.offset}`,
      );
      flush();
      // Two in flight at a time; each acknowledged 3 frames after it was sent.
      expect(producer.sent.map((s) => `${String(s.record.value)}@${s.at}`)).toEqual([
        'a@0',
        'b@0',
        'c@3',
        'd@3',
        'e@6',
      ]);
      expect(events).toEqual([
        [3, 'a:0'],
        [3, 'b:1'],
        [6, 'c:2'],
        [6, 'd:3'],
        [9, 'e:4'],
        [9, 'complete'],
      ]);
    });
  });

  it('hands a burst to the producer at once (the producer batches it), and flushes on completion', () => {
    scheduler().run(({ cold, expectObservable, flush }) => {
      const producer = new FakeProducer();
      const values = Array.from({ length: 50 }, (_, i) => `v${i}`);
      const source = cold(`(${'x'.repeat(50)}|)`).pipe(
        sendTo(producer, (_: string) => ({ topic: 'out', value: values[producer.sent.length]! })),
      );
      expectObservable(source).toBe(`---(${'r'.repeat(50)}|)`, { r: expect.objectContaining({ ok: true }) });
      flush();
      expect(new Set(producer.sent.map((s) => s.at))).toEqual(new Set([0]));
      expect(producer.flushes).toBe(1);
    });
  });

  it('maps an emission to several records, or to none, and keeps the correlation', () => {
    const test = scheduler();
    test.run(({ hot, flush }) => {
      const producer = new FakeProducer();
      const mapper = (n: number) =>
        n === 0 ? null : Array.from({ length: n }, (_, i) => ({ topic: 'out', partition: i, value: `${n}.${i}` }));
      const events = timeline(test, hot('a-b-|', { a: 3, b: 0 }).pipe(sendTo(producer, mapper)));
      flush();
      expect(events).toEqual([
        [
          3,
          {
            ok: true,
            source: 3,
            metadata: [meta('3.0', 0, 'out', 0), meta('3.1', 0, 'out', 1), meta('3.2', 0, 'out', 2)],
          },
        ],
        [3, { ok: true, source: 0, metadata: [] }], // no record: emitted in its turn, after the one before it
        [4, 'complete'],
      ]);
    });
  });

  it('errors the stream with the typed error of a failed delivery', () => {
    scheduler().run(({ hot, expectObservable }) => {
      const producer = new FakeProducer();
      const failure = new KafkaTimeoutError('delivery timed out');
      producer.ack = (record) => (record.value === 'b' ? { delay: 2, error: failure } : { delay: 2 });
      expectObservable(hot('a-b-c-|').pipe(sendTo(producer, { topic: 'out' }))).toBe(
        '--x-#',
        {
          x: { ok: true, source: 'a', metadata: [meta('a', 0)] },
        },
        failure,
      );
    });
  });

  it("with errors: 'emit', emits the failure and goes on", () => {
    scheduler().run(({ hot, expectObservable }) => {
      const producer = new FakeProducer();
      const failure = new KafkaTimeoutError('delivery timed out');
      producer.ack = (record) => (record.value === 'b' ? { delay: 2, error: failure } : { delay: 2 });
      expectObservable(hot('a-b-c-|').pipe(sendTo(producer, { topic: 'out' }, { errors: 'emit' }))).toBe('--x-y-(z|)', {
        x: { ok: true, source: 'a', metadata: [meta('a', 0)] },
        y: { ok: false, source: 'b', error: failure, metadata: [undefined] },
        z: { ok: true, source: 'c', metadata: [meta('c', 1)] },
      });
    });
  });

  it('a mapper that throws errors the stream', () => {
    scheduler().run(({ hot, expectObservable }) => {
      const boom = new InvalidArgumentError('bad value');
      const mapper = (v: string) => {
        if (v === 'b') throw boom;
        return { topic: 'out', value: v };
      };
      expectObservable(hot('a-b-|').pipe(sendTo(new FakeProducer(), mapper))).toBe('--#', undefined, boom);
    });
  });

  it('a mapper runs on arrival: its error surfaces at once, even behind emissions that wait', () => {
    const test = scheduler();
    test.run(({ cold, flush }) => {
      const producer = new FakeProducer();
      const boom = new InvalidArgumentError('bad value');
      const mapper = (v: string) => {
        if (v === 'c') throw boom;
        return { topic: 'out', value: v };
      };
      const events = timeline(test, cold('(abc|)').pipe(sendTo(producer, mapper, { maxInFlight: 1 })));
      flush();
      expect(events).toEqual([[0, { error: boom }]]);
      expect(producer.sent.map((s) => s.record.value)).toEqual(['a']);
    });
  });

  it('a long synchronous burst to { topic } goes out in order under maxInFlight, and completes', () => {
    const test = scheduler();
    test.run(({ flush }) => {
      const producer = new FakeProducer();
      const values = Array.from({ length: 3000 }, (_, i) => `v${i}`);
      const events = timeline(
        test,
        from(values).pipe(sendTo(producer, { topic: 'out' }, { maxInFlight: 100 })),
        (r) => r.source,
      );
      flush();
      expect(producer.sent.map((s) => s.record.value)).toEqual(values);
      expect(Math.max(...countBy(producer.sent.map((s) => s.at)))).toBe(100);
      expect(events).toEqual([...values.map((v, i) => [3 * (Math.floor(i / 100) + 1), v]), [90, 'complete']]);
    });
  });

  it('unsubscribing stops sending the emissions that wait', () => {
    scheduler().run(({ cold, expectObservable, flush }) => {
      const producer = new FakeProducer();
      expectObservable(cold('(abcd|)').pipe(sendTo(producer, { topic: 'out' }, { maxInFlight: 1 })), '^---!').toBe(
        '---a',
        { a: { ok: true, source: 'a', metadata: [meta('a', 0)] } },
      );
      flush();
      expect(producer.sent.map((s) => s.record.value)).toEqual(['a', 'b']);
    });
  });

  it('rejects a bad maxInFlight', () => {
    expect(() => sendTo(new FakeProducer(), { topic: 'x' }, { maxInFlight: 0 })).toThrow(InvalidArgumentError);
  });
});

describe('sendTo types', () => {
  it('{ topic } sends the emission as the value; a mapper takes any emission; errors: emit widens the result', () => {
    const producer = new FakeProducer();
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
    const producer = new FakeProducer();
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
    const producer = new FakeProducer();
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
