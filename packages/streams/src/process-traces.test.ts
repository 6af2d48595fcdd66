import { Transform, Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { FakeConsumer, type FakeRecord, until } from '@vltava/client-fakes';
import { type ConsumerProcessPayload, diagnosticChannels } from '@vltava/core';
import { afterEach, describe, expect, it } from 'vitest';
import { createCommitStream } from './commit-stream.js';
import { createReadStream } from './read-stream.js';
import { createWebCommitStream } from './web-commit-stream.js';
import { createWebReadStream } from './web-read-stream.js';

/** Subscribes to vltava:consumer:process: what started, what ended, and a context hook that tags the hand-over. */
function watchProcess() {
  const started: ConsumerProcessPayload[] = [];
  const ended: ConsumerProcessPayload[] = [];
  let inContext: ConsumerProcessPayload | undefined;
  const stop = diagnosticChannels.consumerProcess.subscribe({
    start(payload) {
      started.push(payload);
      payload.runInContext = (fn) => {
        const outer = inContext;
        inContext = payload;
        try {
          return fn();
        } finally {
          inContext = outer;
        }
      };
    },
    asyncStart(payload) {
      ended.push(payload);
    },
  });
  return { started, ended, stop, current: () => inContext };
}

let stopWatching: (() => void) | undefined;
afterEach(() => {
  stopWatching?.();
  stopWatching = undefined;
});

const offsets = (payloads: readonly ConsumerProcessPayload[]) => payloads.map((p) => p.records[0]!.offset);

describe('stream process traces (vltava:consumer:process)', () => {
  it('opens a trace per record handed out, runs the synchronous stages downstream in it, and ends it at the committer', async () => {
    const watch = watchProcess();
    stopWatching = watch.stop;
    const consumer = new FakeConsumer();
    consumer.add('t', 0, 5);
    const seenIn: Array<bigint | undefined> = [];
    const openAtTransform: number[] = [];
    const tag = new Transform({
      objectMode: true,
      transform(record: FakeRecord, _encoding, done) {
        seenIn.push(watch.current()?.records[0]?.offset);
        openAtTransform.push(watch.started.length - watch.ended.length);
        done(null, { ...record, value: `${record.value}!` });
      },
    });
    await pipeline(createReadStream(consumer, { stopAfterRecords: 5 }), tag, createCommitStream(consumer));
    // Each transform call ran in the context of its own record's trace.
    expect(seenIn).toEqual([0n, 1n, 2n, 3n, 4n]);
    expect(offsets(watch.started)).toEqual([0n, 1n, 2n, 3n, 4n]);
    expect(offsets(watch.ended)).toEqual([0n, 1n, 2n, 3n, 4n]);
    expect(watch.started[0]).toMatchObject({ clientId: '', groupId: 'fake-group', groupKind: 'consumer' });
    // Ended as processed (at the committer), none abandoned, none failed.
    for (const payload of watch.ended) {
      expect(payload.abandoned).toBeUndefined();
      expect(payload.error).toBeUndefined();
    }
    expect(openAtTransform.every((n) => n === 1)).toBe(true);
  });

  it('keeps a trace open until its record reaches the committer, and abandons the rest when the stream is destroyed', async () => {
    const watch = watchProcess();
    stopWatching = watch.stop;
    const consumer = new FakeConsumer();
    consumer.add('t', 0, 3);
    const committer = createCommitStream(consumer, { commitIntervalMs: 0 });
    const held: FakeRecord[] = [];
    const hold = new Writable({
      objectMode: true,
      write(record: FakeRecord, _encoding, done) {
        held.push(record);
        done();
      },
    });
    const stream = createReadStream(consumer);
    stream.pipe(hold);
    await until(() => held.length === 3, 'three records');
    expect(watch.ended).toEqual([]);
    // The first reaches the committer (marked without passing through it): its trace ends as processed.
    committer.markProcessed(held[0]!);
    expect(offsets(watch.ended)).toEqual([0n]);
    stream.destroy();
    committer.destroy();
    await until(() => consumer.closed, 'the close');
    expect(offsets(watch.ended)).toEqual([0n, 1n, 2n]);
    expect(watch.ended[0]!.abandoned).toBeUndefined();
    expect(watch.ended[1]!.abandoned).toMatch(/before the record reached the committer/);
    expect(watch.ended[2]!.error).toBeUndefined();
  });

  it('without a committer, ends a record trace when the next record is handed out (as a for-await step)', async () => {
    const watch = watchProcess();
    stopWatching = watch.stop;
    const consumer = new FakeConsumer();
    consumer.add('t', 0, 3);
    const stream = createReadStream(consumer, { requireCommitter: false, stopAfterRecords: 3 });
    const endedAtStep: number[] = [];
    for await (const record of stream) {
      endedAtStep.push(watch.ended.length);
      expect(watch.started.at(-1)!.records[0]).toBe(record);
    }
    expect(endedAtStep).toEqual([0, 1, 2]);
    await until(() => consumer.closed, 'the close');
    expect(offsets(watch.ended)).toEqual([0n, 1n, 2n]);
  });

  it('traces the Web read stream from the enqueue to the Web committer', async () => {
    const watch = watchProcess();
    stopWatching = watch.stop;
    const consumer = new FakeConsumer();
    consumer.add('t', 0, 4);
    await createWebReadStream(consumer, { stopAfterRecords: 4 }).pipeTo(createWebCommitStream(consumer));
    expect(offsets(watch.started)).toEqual([0n, 1n, 2n, 3n]);
    expect(offsets(watch.ended)).toEqual([0n, 1n, 2n, 3n]);
    for (const payload of watch.ended) expect(payload.abandoned).toBeUndefined();
  });
});
