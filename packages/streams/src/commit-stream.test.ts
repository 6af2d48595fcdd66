import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { FakeConsumer, fakeRecord } from '@vltava/client-fakes';
import { CommitFailedError, InvalidArgumentError } from '@vltava/core';
import { describe, expect, it } from 'vitest';
import { createCommitStream } from './commit-stream.js';

describe('createCommitStream', () => {
  it('without a read stream, commits one past the highest record of each partition at the end', async () => {
    const consumer = new FakeConsumer();
    consumer.assign([0, 1].map((partition) => ({ topic: 'a', partition })));
    const chunks = [fakeRecord('a', 0, 4), fakeRecord('a', 1, 9), fakeRecord('a', 0, 5)];
    await pipeline(Readable.from(chunks), createCommitStream(consumer, { commitIntervalMs: 0 }));
    expect(consumer.commits).toHaveLength(1);
    expect(consumer.lastCommitted()).toEqual(
      new Map([
        ['a:0', 6n],
        ['a:1', 10n],
      ]),
    );
    expect(consumer.acknowledged.get('a:0')).toBe(6n);
    // Not owned by a read stream: the consumer stays open.
    expect(consumer.closed).toBe(false);
  });

  it('finds the source on the chunk or down its `source` fields', async () => {
    const consumer = new FakeConsumer();
    consumer.assign([0, 1, 2].map((partition) => ({ topic: 'a', partition })));
    const chunks = [
      { source: fakeRecord('a', 0, 1), metadata: {} },
      { record: { topic: 'out' }, source: fakeRecord('a', 1, 2) },
      { source: { source: fakeRecord('a', 2, 3) } },
    ];
    await pipeline(Readable.from(chunks), createCommitStream(consumer));
    expect(consumer.lastCommitted()).toEqual(
      new Map([
        ['a:0', 2n],
        ['a:1', 3n],
        ['a:2', 4n],
      ]),
    );
  });

  it('fails on a chunk without source coordinates rather than guessing', async () => {
    const consumer = new FakeConsumer();
    await expect(pipeline(Readable.from([{ topic: 'out', value: 'x' }]), createCommitStream(consumer))).rejects.toThrow(
      InvalidArgumentError,
    );
  });

  it('commits on its interval while running', async () => {
    const consumer = new FakeConsumer();
    consumer.assign([{ topic: 'a', partition: 0 }]);
    const committer = createCommitStream(consumer, { commitIntervalMs: 10 });
    committer.write(fakeRecord('a', 0, 0));
    const deadline = Date.now() + 5000;
    while (consumer.commits.length === 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 5));
    expect(consumer.lastCommitted().get('a:0')).toBe(1n);
    committer.write(fakeRecord('a', 0, 1));
    committer.end();
    await new Promise((resolve) => committer.on('finish', resolve));
    expect(consumer.lastCommitted().get('a:0')).toBe(2n);
    expect(committer.commits).toBe(2);
  });

  it('fails the stream when the final commit fails for good, after retrying a retriable failure', async () => {
    const consumer = new FakeConsumer();
    consumer.assign([{ topic: 'a', partition: 0 }]);
    consumer.commitFailure = () => new CommitFailedError('stale generation', { retriable: false });
    await expect(
      pipeline(Readable.from([fakeRecord('a', 0, 0)]), createCommitStream(consumer, { commitIntervalMs: 0 })),
    ).rejects.toThrow(CommitFailedError);

    const flaky = new FakeConsumer();
    flaky.assign([{ topic: 'a', partition: 0 }]);
    flaky.commitFailure = () => new CommitFailedError('rebalancing', { retriable: true });
    const committer = createCommitStream(flaky, { commitIntervalMs: 0 });
    committer.end(fakeRecord('a', 0, 0));
    setTimeout(() => {
      flaky.commitFailure = undefined;
    }, 50);
    await new Promise((resolve, reject) => {
      committer.on('finish', resolve);
      committer.on('error', reject);
    });
    expect(flaky.lastCommitted().get('a:0')).toBe(1n);
  });

  it('never commits a partition the consumer no longer owns (revoked since its records were read)', async () => {
    const consumer = new FakeConsumer();
    consumer.assign([{ topic: 'a', partition: 0 }]);
    await pipeline(
      Readable.from([fakeRecord('a', 0, 3), fakeRecord('a', 1, 7)]),
      createCommitStream(consumer, { commitIntervalMs: 0 }),
    );
    expect(consumer.lastCommitted()).toEqual(new Map([['a:0', 4n]]));
  });

  it('rejects a negative commit interval', () => {
    expect(() => createCommitStream(new FakeConsumer(), { commitIntervalMs: -1 })).toThrow(InvalidArgumentError);
  });
});
