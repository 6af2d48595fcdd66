import { Transform, Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { FakeConsumer, type FakeRecord, until } from '@vltava/client-fakes';
import { InvalidArgumentError, InvalidGroupStateError } from '@vltava/core';
import { describe, expect, it } from 'vitest';
import { createCommitStream } from './commit-stream.js';
import { createReadStream } from './read-stream.js';

describe('createReadStream', () => {
  it('reads in manual mode, fills to the high-water mark, then pauses fetching of the partitions that filled it', async () => {
    const consumer = new FakeConsumer();
    consumer.add('t', 0, 30);
    consumer.add('t', 1, 30);
    const stream = createReadStream(consumer, { highWaterMark: 10, requireCommitter: false });
    stream.pause();
    stream.on('readable', () => undefined);
    await until(() => consumer.pauseCalls > 0, 'a pause');
    expect(consumer.calls.filter((c) => c.startsWith('batches'))).toEqual(['batches:manual']);
    expect(stream.readableLength).toBe(10);
    expect(stream.delivered).toBe(10);
    expect(consumer.backpressure.paused()).toEqual([{ topic: 't', partition: 0 }]);
    // Reading resumes fetching and goes on.
    const first = stream.read() as FakeRecord;
    expect(first.offset).toBe(0n);
    await until(() => consumer.resumeCalls > 0, 'a resume');
    stream.destroy();
    await until(() => consumer.closed, 'the close');
    expect(consumer.pausedKeys.size).toBe(0);
  });

  it('ends cleanly after stopAfterRecords and closes the consumer once the committer finished', async () => {
    const consumer = new FakeConsumer();
    consumer.add('t', 0, 50);
    let closedBeforeLastWrite = false;
    const committer = createCommitStream(consumer, { commitIntervalMs: 0 });
    const slow = new Transform({
      objectMode: true,
      transform(record: FakeRecord, _encoding, callback) {
        if (record.offset === 19n) closedBeforeLastWrite = consumer.closed;
        setImmediate(() => callback(null, record));
      },
    });
    const stream = createReadStream(consumer, { stopAfterRecords: 20 });
    await pipeline(stream, slow, committer);
    expect(closedBeforeLastWrite).toBe(false);
    expect(consumer.closed).toBe(true);
    expect(consumer.closeCalls).toBe(1);
    expect(consumer.lastCommitted().get('t:0')).toBe(20n);
    expect(consumer.acknowledgedAtClose?.get('t:0')).toBe(20n);
    // One batch of 50 was taken; only 20 were handed to the stream (the rest are read again next time).
    expect(stream.delivered).toBe(20);
  });

  it('stop() and stopSignal end the stream cleanly, a pending read included', async () => {
    const consumer = new FakeConsumer();
    consumer.add('t', 0, 3);
    const stopper = new AbortController();
    const stream = createReadStream(consumer, { stopSignal: stopper.signal });
    const seen: bigint[] = [];
    const done = pipeline(
      stream,
      createCommitStream(consumer, {
        sourceOf: (r: FakeRecord) => {
          seen.push(r.offset);
          return r;
        },
      }),
    );
    await until(() => seen.length === 3, 'three records');
    stopper.abort(); // nothing more is coming: the read waiting for records ends
    await done;
    expect(consumer.lastCommitted().get('t:0')).toBe(3n);
    expect(consumer.closed).toBe(true);

    const other = new FakeConsumer();
    other.add('t', 0, 5);
    const s2 = createReadStream(other, { requireCommitter: false });
    const got: FakeRecord[] = [];
    for await (const record of s2) {
      got.push(record);
      if (got.length === 2) s2.stop();
    }
    expect(got.length).toBeGreaterThanOrEqual(2);
    expect(other.closed).toBe(true);
  });

  it('destroy() commits what reached the committer (nothing in flight) and closes the consumer', async () => {
    const consumer = new FakeConsumer();
    consumer.add('t', 0, 100);
    const controller = new AbortController();
    let passed = 0;
    const gate = new Transform({
      objectMode: true,
      highWaterMark: 1,
      transform(record: FakeRecord, _encoding, callback) {
        passed++;
        if (passed === 10) controller.abort();
        if (passed > 10) return; // holds the rest: they never reach the committer
        callback(null, record);
      },
    });
    await expect(
      pipeline(createReadStream(consumer, { highWaterMark: 4 }), gate, createCommitStream(consumer), {
        signal: controller.signal,
      }),
    ).rejects.toMatchObject({ name: 'AbortError' });
    await until(() => consumer.closed, 'the close');
    expect(consumer.acknowledgedAtClose?.get('t:0')).toBeLessThanOrEqual(10n);
    const committed = consumer.lastCommitted().get('t:0');
    expect(committed).toBe(consumer.acknowledgedAtClose?.get('t:0'));
    expect(committed).toBeGreaterThanOrEqual(9n);
  });

  it('destroy() without an error, a committer attached, closes the consumer now (it is not a clean end)', async () => {
    const consumer = new FakeConsumer();
    consumer.add('t', 0, 5);
    const stream = createReadStream(consumer);
    const committer = createCommitStream(consumer);
    stream.pipe(committer);
    await until(() => (consumer.acknowledged.get('t:0') ?? 0n) === 5n, 'five acknowledged');
    stream.unpipe(committer);
    await new Promise((resolve) => {
      stream.on('close', resolve);
      stream.destroy();
    });
    expect(consumer.closed).toBe(true);
    expect(consumer.lastCommitted().get('t:0')).toBe(5n);
    committer.destroy();
  });

  it('with closeConsumer: false commits but leaves the consumer open', async () => {
    const consumer = new FakeConsumer();
    consumer.add('t', 0, 5);
    await pipeline(
      createReadStream(consumer, { stopAfterRecords: 5, closeConsumer: false }),
      createCommitStream(consumer),
    );
    expect(consumer.closed).toBe(false);
    expect(consumer.lastCommitted().get('t:0')).toBe(5n);
  });

  it('an error of the consumer fails the stream', async () => {
    const consumer = new FakeConsumer();
    const failing = Object.assign(Object.create(consumer) as FakeConsumer, {
      batches: () => ({
        next: () => Promise.reject(new InvalidArgumentError('bad read')),
        return: async () => ({ done: true as const, value: undefined }),
      }),
    });
    const stream = createReadStream(failing);
    await expect(pipeline(stream, createCommitStream(failing))).rejects.toThrow('bad read');
  });

  it('keeps no per-record state without a committer, and refuses a committer made after reading started', async () => {
    const consumer = new FakeConsumer();
    consumer.add('t', 0, 10);
    const stream = createReadStream(consumer, { requireCommitter: false });
    const got: FakeRecord[] = [];
    stream.on('data', (record: FakeRecord) => got.push(record));
    await until(() => got.length === 10, 'ten records');
    expect(stream.inFlight).toBe(0);
    expect(() => createCommitStream(consumer)).toThrow(InvalidArgumentError);
    stream.destroy();
  });

  it('refuses to read a group consumer with no committer attached, before reading anything, showing the shape', async () => {
    const consumer = new FakeConsumer();
    consumer.add('t', 0, 10);
    const written: unknown[] = [];
    const error = await pipeline(
      createReadStream(consumer),
      new Transform({ objectMode: true, transform: (record, _encoding, done) => done(null, record) }),
      new Writable({
        objectMode: true,
        write: (chunk, _encoding, done) => {
          written.push(chunk);
          done();
        },
      }),
    ).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InvalidArgumentError);
    expect(String(error)).toMatch(/no committer of this consumer is attached/);
    expect(String(error)).toMatch(/createSendStream\(producer, .*\n.*createCommitStream\(consumer\)/);
    expect(consumer.pulled).toBe(0);
    expect(written).toEqual([]);
    expect(consumer.closed).toBe(true);
  });

  it('reads a consumer without a group (nothing to commit) without a committer', async () => {
    const consumer = new FakeConsumer();
    consumer.add('t', 0, 3);
    consumer.groupMetadata = () => {
      throw new InvalidGroupStateError('groupMetadata() needs a groupId');
    };
    const got: FakeRecord[] = [];
    for await (const record of createReadStream(consumer, { stopAfterRecords: 3 })) got.push(record);
    expect(got).toHaveLength(3);
  });

  it('rejects a stopAfterRecords that is not a positive integer', () => {
    expect(() => createReadStream(new FakeConsumer(), { stopAfterRecords: 0 })).toThrow(InvalidArgumentError);
    expect(() => createReadStream(new FakeConsumer(), { stopAfterRecords: 1.5 })).toThrow(InvalidArgumentError);
  });
});
