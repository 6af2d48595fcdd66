import { describe, expect, it } from 'vitest';
import { ConnectionError } from '../errors/client-errors.js';
import { silentLogger } from '../utils/logger.js';
import { CommitFailedError, InvalidGroupStateError } from './consumer-errors.js';
import { fakeOffsetTransport } from './fixtures/fake-offset-transport.js';
import { type CommitEntry, type GroupGeneration, OffsetCommitter } from './offset-committer.js';
import { SubscriptionState } from './subscription-state.js';

const generation: GroupGeneration = { generationId: 5, memberId: 'm', groupInstanceId: null };

function setup(answers: Parameters<typeof fakeOffsetTransport>[0] = []) {
  const subscriptions = new SubscriptionState();
  const [state] = subscriptions.add([{ topic: 't', partition: 0 }]);
  state!.seek(0n, undefined);
  const { transport, sent } = fakeOffsetTransport(answers);
  const committer = new OffsetCommitter(transport, subscriptions, {
    groupId: 'g',
    retryDelay: () => 1,
    logger: silentLogger,
  });
  return { subscriptions, state: state!, committer, transport, sent };
}

const entry = (offset: bigint, partition = 0): CommitEntry => ({
  topic: 't',
  partition,
  offset,
  leaderEpoch: 3,
  metadata: null,
});

describe('OffsetCommitter', () => {
  it('commits with the generation it was given and records the committed offset', async () => {
    const { committer, sent, state } = setup();
    await committer.commit([entry(10n)], generation, Date.now() + 1000);
    expect(sent[0]!.generation).toBe(generation);
    expect(state.committedOffset).toBe(10n);
    expect(committer.commitsSucceeded).toBe(1);
  });

  it.each([
    [22, 'ILLEGAL_GENERATION'],
    [25, 'UNKNOWN_MEMBER_ID'],
    [27, 'REBALANCE_IN_PROGRESS'],
    [82, 'FENCED_INSTANCE_ID'],
    [113, 'STALE_MEMBER_EPOCH'],
  ])(
    'drops a commit the coordinator calls stale (%i %s) with CommitFailedError, without retrying',
    async (code, name) => {
      const { committer, sent, state } = setup([code, 0]);
      const error = await committer.commit([entry(10n)], generation, Date.now() + 1000).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(CommitFailedError);
      expect((error as CommitFailedError).kafkaErrorName).toBe(name);
      expect(sent).toHaveLength(1);
      expect(state.committedOffset).toBeUndefined();
    },
  );

  it('retries what is retriable (coordinator moved, connection broke) with the same generation', async () => {
    const { committer, sent, state } = setup([16, new ConnectionError('broken'), 0]);
    await committer.commit([entry(10n)], generation, Date.now() + 5000);
    expect(sent).toHaveLength(3);
    expect(sent.every((s) => s.generation === generation)).toBe(true);
    expect(state.committedOffset).toBe(10n);
  });

  it('retries only the partitions that failed', async () => {
    const { committer, sent, subscriptions } = setup([
      () =>
        new Map([
          ['t:0', 0],
          ['t:1', 14],
        ]),
      0,
    ]);
    subscriptions.add([{ topic: 't', partition: 1 }]);
    await committer.commit([entry(10n, 0), entry(20n, 1)], generation, Date.now() + 5000);
    expect(sent[1]!.entries.map((e) => e.partition)).toEqual([1]);
  });

  it('gives up with KafkaTimeoutError when retriable failures outlast the deadline', async () => {
    const { committer } = setup(Array(1000).fill(15));
    await expect(committer.commit([entry(10n)], generation, Date.now() + 30)).rejects.toMatchObject({
      code: 'ERR_TIMEOUT',
    });
  });

  it('raises a partition error that retrying cannot fix', async () => {
    const { committer } = setup([12]);
    await expect(committer.commit([entry(10n)], generation, Date.now() + 1000)).rejects.toMatchObject({
      kafkaErrorName: 'OFFSET_METADATA_TOO_LARGE',
    });
  });

  it('runs commits one after another in the order requested', async () => {
    const { committer, sent, transport, state } = setup();
    transport.hold();
    const first = committer.commit([entry(10n)], generation, Date.now() + 1000);
    const second = committer.commit([entry(20n)], generation, Date.now() + 1000);
    await Promise.resolve();
    expect(sent).toHaveLength(1);
    expect(committer.pending).toBe(2);
    transport.release();
    await first;
    await second;
    expect(sent.map((s) => s.entries[0]!.offset)).toEqual([10n, 20n]);
    expect(state.committedOffset).toBe(20n);
  });

  it('acknowledges what it commits, so an automatic commit never moves a partition backwards', async () => {
    const { committer, state } = setup();
    const record = { offset: 4n, leaderEpoch: 0 };
    state.delivered(record);
    state.acknowledgeDelivered();
    expect(committer.acknowledgedOffsets().map((e) => e.offset)).toEqual([5n]);
    await committer.commit([entry(5n)], generation, Date.now() + 1000);
    expect(committer.acknowledgedOffsets()).toEqual([]); // unchanged since the last commit: nothing to send
    state.delivered({ offset: 8n, leaderEpoch: 0 });
    await committer.commit(committer.deliveredOffsets(), generation, Date.now() + 1000);
    expect(state.ackedOffset).toBe(9n);
    expect(committer.acknowledgedOffsets()).toEqual([]);
  });

  it('needs a groupId', async () => {
    const subscriptions = new SubscriptionState();
    const committer = new OffsetCommitter(fakeOffsetTransport([]).transport, subscriptions, {
      groupId: undefined,
      retryDelay: () => 1,
      logger: silentLogger,
    });
    await expect(committer.commit([entry(1n)], generation, Date.now() + 1000)).rejects.toBeInstanceOf(
      InvalidGroupStateError,
    );
  });

  it('reads committed offsets', async () => {
    const { committer } = setup();
    const offsets = await committer.fetchCommitted([{ topic: 't', partition: 0 }], generation, Date.now() + 1000);
    expect(offsets).toEqual([{ topic: 't', partition: 0, offset: 7n, leaderEpoch: 1, metadata: null, errorCode: 0 }]);
  });
});
