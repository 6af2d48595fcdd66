import { fakeRecord } from '@vltava/client-fakes';
import { CommitFailedError, InvalidArgumentError, KafkaTimeoutError, type TopicPartitionOffset } from '@vltava/core';
import { type Observable, of, throwError } from 'rxjs';
import { TestScheduler } from 'rxjs/testing';
import { describe, expect, it } from 'vitest';
import { AckTracker } from './ack-tracker.js';
import { commitOffsets } from './commit-offsets.js';
import type { KafkaMessage } from './kafka-message.js';
import { resolveWaterMarks } from './water-marks.js';

type Message = KafkaMessage<string, string>;

const scheduler = () => new TestScheduler((actual, expected) => expect(actual).toEqual(expected));

/** A tracker whose commits are what `commit` returns (a cold observable in virtual time), logged in `commits`. */
function setup(commit: (offsets: readonly TopicPartitionOffset[]) => Observable<unknown> = () => of(undefined)) {
  const commits: string[][] = [];
  const tracker = new AckTracker<string, string>(resolveWaterMarks({ highWaterMark: 1000 }), {
    acknowledge: () => undefined,
    commit: (offsets) => {
      commits.push(offsets.map((o) => `${o.topic}:${o.partition}@${o.offset}`));
      return commit(offsets);
    },
    pause: () => undefined,
    resume: () => undefined,
  });
  const messages = (partition: number, count: number): Message[] =>
    Array.from({ length: count }, (_, i) => tracker.track(fakeRecord('t', partition, i)));
  return { tracker, commits, messages };
}

const committed = (...entries: Array<[number, number]>) => ({
  offsets: entries.map(([partition, offset]) => ({
    topic: 't',
    partition,
    offset: BigInt(offset),
    leaderEpoch: 0,
  })),
});

const byLetter = (messages: readonly Message[]) =>
  Object.fromEntries(messages.map((m, i) => [String.fromCharCode(97 + i), m]));

describe('commitOffsets (marbles)', () => {
  it('commits every maxBatch acknowledgements, and the rest when the source completes', () => {
    const { messages } = setup();
    const m = messages(0, 7);
    scheduler().run(({ hot, expectObservable }) => {
      const source = hot('-a-b-c-d-e-f-g-|', byLetter(m));
      expectObservable(source.pipe(commitOffsets({ maxBatch: 3, maxIntervalMs: 1000 }))).toBe('-----x-----y---(z|)', {
        x: committed([0, 3]),
        y: committed([0, 6]),
        z: committed([0, 7]),
      });
    });
  });

  it('commits maxIntervalMs after the first acknowledgement not yet committed', () => {
    const { messages } = setup();
    const m = messages(0, 3);
    scheduler().run(({ hot, expectObservable }) => {
      const source = hot('a--b-----------c------', byLetter(m));
      expectObservable(source.pipe(commitOffsets({ maxBatch: 100, maxIntervalMs: 10 }))).toBe(
        '----------x--------------y',
        { x: committed([0, 2]), y: committed([0, 3]) },
      );
    });
  });

  it('runs one commit at a time: acknowledgements made meanwhile go into the next one', () => {
    scheduler().run(({ hot, cold, expectObservable }) => {
      const { messages } = setup(() => cold('-----|'));
      const source = hot('-abcdef---|', byLetter(messages(0, 6)));
      // The first commit starts at b (2 acks) and takes 5 frames; c..f arrive meanwhile and go into the next one,
      // which starts when the first ends; the result completes when the second ends.
      expectObservable(source.pipe(commitOffsets({ maxBatch: 2, maxIntervalMs: 1000 }))).toBe('-------x----(y|)', {
        x: committed([0, 2]),
        y: committed([0, 6]),
      });
    });
  });

  it('never commits past a record not yet acknowledged (out-of-order processing)', () => {
    const { messages, commits } = setup();
    const m = messages(0, 4);
    const b = messages(1, 1);
    scheduler().run(({ hot, expectObservable }) => {
      // Records reach the operator in the order 1, 3, (p1:0), 0, 2.
      const source = hot('-a-b-c-d-e-|', { a: m[1], b: m[3], c: b[0], d: m[0], e: m[2] });
      expectObservable(source.pipe(commitOffsets({ maxBatch: 1 }))).toBe('-----x-y-z-|', {
        x: committed([1, 1]),
        y: committed([0, 2]),
        z: committed([0, 4]),
      });
    });
    expect(commits).toEqual([['t:1@1'], ['t:0@2'], ['t:0@4']]);
  });

  it('does not commit offsets of a partition revoked since its records were emitted', () => {
    const { messages, tracker, commits } = setup();
    const m = messages(0, 2);
    const other = messages(1, 1);
    tracker.retire([{ topic: 't', partition: 0 }]);
    scheduler().run(({ hot, expectObservable }) => {
      const source = hot('-a-b-c-|', { a: m[0], b: m[1], c: other[0] });
      expectObservable(source.pipe(commitOffsets({ maxBatch: 1 }))).toBe('-----x-|', { x: committed([1, 1]) });
    });
    expect(commits).toEqual([['t:1@1']]);
  });

  it('emits a commit refused as stale with `dropped` and goes on', () => {
    const stale = new CommitFailedError('stale generation');
    let calls = 0;
    const { messages } = setup(() => (calls++ === 0 ? throwError(() => stale) : of(undefined)));
    const m = messages(0, 2);
    scheduler().run(({ hot, expectObservable }) => {
      const source = hot('-a-b-|', byLetter(m));
      expectObservable(source.pipe(commitOffsets({ maxBatch: 1 }))).toBe('-x-y-|', {
        x: { ...committed([0, 1]), dropped: stale },
        y: committed([0, 2]),
      });
    });
  });

  it('errors the stream with other commit failures', () => {
    const timeout = new KafkaTimeoutError('commit timed out');
    const { messages } = setup(() => throwError(() => timeout));
    const m = messages(0, 1);
    scheduler().run(({ hot, expectObservable }) => {
      expectObservable(hot('-a-|', byLetter(m)).pipe(commitOffsets({ maxBatch: 1 }))).toBe('-#', undefined, timeout);
    });
  });

  it('commits what was acknowledged before passing on a source error', () => {
    const { messages } = setup();
    const m = messages(0, 1);
    const failure = new KafkaTimeoutError('upstream failed');
    scheduler().run(({ hot, expectObservable }) => {
      expectObservable(hot('-a-#', byLetter(m), failure).pipe(commitOffsets({ maxBatch: 10 }))).toBe(
        '---(x#)',
        { x: committed([0, 1]) },
        failure,
      );
    });
  });

  it('completes only once the last commit is done', () => {
    scheduler().run(({ hot, cold, expectObservable }) => {
      const { messages } = setup(() => cold('---|'));
      const m = messages(0, 1);
      expectObservable(hot('-a|', byLetter(m)).pipe(commitOffsets({ maxBatch: 10 }))).toBe('-----(x|)', {
        x: committed([0, 1]),
      });
    });
  });

  it('finds messages in arrays and in `source` of results, or through a selector', () => {
    const { messages } = setup();
    const m = messages(0, 5);
    scheduler().run(({ hot, expectObservable }) => {
      const source = hot('-a-b-c-|', {
        a: [m[0], m[1]],
        b: { source: m[2], metadata: [] },
        c: { source: [m[3], m[4]] },
      });
      expectObservable(source.pipe(commitOffsets({ maxBatch: 1 }))).toBe('-x-y-z-|', {
        x: committed([0, 2]),
        y: committed([0, 3]),
        z: committed([0, 5]),
      });
    });
    const custom = setup();
    const n = custom.messages(0, 2);
    scheduler().run(({ hot, expectObservable }) => {
      const source = hot('-a-b-|', { a: { wrapped: n[0] }, b: { wrapped: n[1] } });
      expectObservable(
        source.pipe(commitOffsets<{ wrapped: Message | undefined }>({ maxBatch: 2, message: (v) => v.wrapped })),
      ).toBe('---x-|', { x: committed([0, 2]) });
    });
  });

  it('errors with a typed error when an emission holds no message', () => {
    scheduler().run(({ hot, expectObservable }) => {
      expectObservable(hot('-a-|', { a: 42 }).pipe(commitOffsets())).toBe(
        '-#',
        undefined,
        expect.any(InvalidArgumentError),
      );
    });
  });

  it('rejects bad options', () => {
    expect(() => commitOffsets({ maxBatch: 0 })).toThrow(InvalidArgumentError);
    expect(() => commitOffsets({ maxIntervalMs: -1 })).toThrow(InvalidArgumentError);
  });
});
