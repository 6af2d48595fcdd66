import { describe, expect, it } from 'vitest';
import { FakeCluster } from '../../test/consumer/support/fake-cluster.js';
import { ErrorCodes } from '../errors/error-codes.generated.js';
import { TopicAuthorizationFailedError } from '../errors/index.js';
import { ListOffsets, type ListOffsetsRequest } from '../protocol/messages/generated/list-offsets.js';
import {
  OffsetFetch,
  type OffsetFetchRequest,
  type OffsetFetchResponse,
} from '../protocol/messages/generated/offset-fetch.js';
import {
  OffsetForLeaderEpoch,
  type OffsetForLeaderEpochResponse,
} from '../protocol/messages/generated/offset-for-leader-epoch.js';
import { silentLogger } from '../utils/logger.js';
import { NoOffsetForPartitionError } from './consumer-errors.js';
import type { AutoOffsetReset } from './consumer-options.js';
import { GroupCoordinator } from './group/group-coordinator.js';
import { GroupMembership } from './group/group-membership.js';
import { LeaderEpochValidator } from './leader-epoch-validator.js';
import { OffsetCommitter } from './offset-committer.js';
import { EARLIEST_TIMESTAMP, LATEST_TIMESTAMP, OffsetLookup } from './offset-lookup.js';
import { OffsetResetPolicy } from './offset-reset-policy.js';
import type { PartitionState } from './partition-state.js';
import { PositionUpdater } from './position-updater.js';
import { SubscriptionState } from './subscription-state.js';

/** What the fake group coordinator holds: committed offset (and leader epoch) by partition. */
type Committed = Map<number, { offset: bigint; epoch: number }>;

/** The next turn of the event loop: every pending promise reaction, and every pass scheduled before, has run. */
const nextTurn = () => new Promise((resolve) => setImmediate(resolve));

function offsetFetchAnswer(request: OffsetFetchRequest, committed: Committed): OffsetFetchResponse {
  const group = request.groups![0]!;
  return {
    throttleTimeMs: 0,
    errorCode: 0,
    topics: [],
    groups: [
      {
        groupId: group.groupId,
        errorCode: 0,
        topics: (group.topics ?? []).map((t) => ({
          name: t.name ?? '',
          topicId: '',
          partitions: t.partitionIndexes.map((p) => ({
            partitionIndex: p,
            committedOffset: committed.get(p)?.offset ?? -1n,
            committedLeaderEpoch: committed.get(p)?.epoch ?? -1,
            metadata: null,
            errorCode: 0,
          })),
        })),
      },
    ],
  };
}

/** The log of each partition on the fake leader: first and next offset, and where each epoch ends. */
interface FakeLog {
  start: bigint;
  end: bigint;
  /** End offset of each leader epoch (OffsetForLeaderEpoch). */
  epochs: Map<number, bigint>;
}

/**
 * A position updater wired to the real offset committer, group coordinator, offset lookup and leader-epoch validator,
 * over a fake cluster whose brokers answer OffsetFetch, ListOffsets and OffsetForLeaderEpoch from `committed` and
 * `log`. `listOffsets` may be replaced to script failures.
 */
function setup(options: { autoOffsetReset?: AutoOffsetReset; groupId?: string | null } = {}) {
  const cluster = new FakeCluster([{ name: 't', partitions: 2, leaderEpoch: 5 }]);
  const committed: Committed = new Map();
  const log: FakeLog = { start: 10n, end: 100n, epochs: new Map([[5, 100n]]) };
  cluster.answer(OffsetFetch, (request) => offsetFetchAnswer(request, committed));
  const listOffsets = {
    error: undefined as number | undefined,
    answer: (request: ListOffsetsRequest) => ({
      throttleTimeMs: 0,
      topics: request.topics.map((t) => ({
        name: t.name,
        partitions: t.partitions.map((p) => ({
          partitionIndex: p.partitionIndex,
          errorCode: listOffsets.error ?? 0,
          timestamp: -1n,
          offset: p.timestamp === EARLIEST_TIMESTAMP ? log.start : log.end,
          leaderEpoch: 5,
        })),
      })),
    }),
  };
  cluster.answer(ListOffsets, (request) => listOffsets.answer(request));
  cluster.answer(
    OffsetForLeaderEpoch,
    (request): OffsetForLeaderEpochResponse => ({
      throttleTimeMs: 0,
      topics: request.topics.map((t) => ({
        topic: t.topic,
        partitions: t.partitions.map((p) => {
          const end = log.epochs.get(p.leaderEpoch);
          return {
            errorCode: 0,
            partition: p.partition,
            leaderEpoch: end === undefined ? -1 : p.leaderEpoch,
            endOffset: end ?? -1n,
          };
        }),
      })),
    }),
  );
  const subscriptions = new SubscriptionState();
  const groupId = options.groupId === null ? undefined : (options.groupId ?? 'g');
  const committer =
    groupId === undefined
      ? undefined
      : new OffsetCommitter(new GroupCoordinator(cluster, groupId), subscriptions, {
          groupId,
          retryDelay: () => 5,
          logger: silentLogger,
        });
  const updater = new PositionUpdater(
    {
      subscriptions,
      metadata: cluster,
      committed: committer,
      generation: new GroupMembership(groupId),
      lookup: new OffsetLookup(cluster, { readCommitted: false, requestTimeoutMs: 1000 }),
      validator: new LeaderEpochValidator(cluster),
      policy: new OffsetResetPolicy(options.autoOffsetReset ?? 'earliest', silentLogger),
      logger: silentLogger,
    },
    { defaultApiTimeoutMs: 5000, retryDelay: () => 40 },
  );
  /** Resolves when `state` reaches a state in `wanted` (announced by the partition itself). */
  const reaches = (state: PartitionState, ...wanted: string[]) =>
    new Promise<void>((resolve) => {
      if (wanted.includes(state.state)) return resolve();
      const off = subscriptions.events.changed.on((changed) => {
        if (changed !== state || !wanted.includes(state.state)) return;
        off();
        resolve();
      });
    });
  const assign = (...partitions: number[]) =>
    subscriptions.assignManually(partitions.map((partition) => ({ topic: 't', partition }))).added;
  return { cluster, committed, log, listOffsets, subscriptions, updater, reaches, assign };
}

/** {@link setup} with partition t-0 committed at `committed`, assigned, and once it is fetching. */
async function fetchingFrom(committed: { offset: bigint; epoch: number }, options: Parameters<typeof setup>[0] = {}) {
  const t = setup(options);
  t.committed.set(0, committed);
  const [p0] = t.assign(0);
  await t.reaches(p0!, 'fetching');
  return { t, p0: p0! };
}

describe('PositionUpdater', () => {
  it('starts a partition at its committed offset; one without falls back to autoOffsetReset', async () => {
    const t = setup({ autoOffsetReset: 'latest' });
    t.committed.set(0, { offset: 42n, epoch: -1 });
    const [p0, p1] = t.assign(0, 1);
    await Promise.all([t.reaches(p0!, 'fetching'), t.reaches(p1!, 'fetching')]);
    expect([p0!.position, p0!.committedOffset]).toEqual([42n, 42n]);
    expect(p1!.position).toBe(100n); // latest
    expect(t.cluster.requests(OffsetFetch)).toHaveLength(1); // both partitions in one request
    expect(t.cluster.requests(ListOffsets)[0]!.request.topics[0]!.partitions[0]!.timestamp).toBe(LATEST_TIMESTAMP);
    t.updater.close();
  });

  it('validates a committed offset that carries a leader epoch before fetching from it (KIP-320)', async () => {
    const { t, p0 } = await fetchingFrom({ offset: 42n, epoch: 5 });
    expect(t.cluster.requests(OffsetForLeaderEpoch)).toHaveLength(1);
    expect([p0!.position, p0!.leaderEpoch]).toEqual([42n, 5]);
    t.updater.close();
  });

  it('without a committed offset and autoOffsetReset none, fails the partition with NoOffsetForPartitionError', async () => {
    const t = setup({ autoOffsetReset: 'none' });
    const [p0] = t.assign(0);
    await t.reaches(p0!, 'failed');
    expect(p0!.error).toBeInstanceOf(NoOffsetForPartitionError);
    expect(t.cluster.requests(ListOffsets)).toHaveLength(0);
    t.updater.close();
  });

  it('without a groupId starts every partition by autoOffsetReset, never asking for committed offsets', async () => {
    const t = setup({ groupId: null, autoOffsetReset: 'earliest' });
    const [p0] = t.assign(0);
    await t.reaches(p0!, 'fetching');
    expect(p0!.position).toBe(10n);
    expect(t.cluster.requests(OffsetFetch)).toHaveLength(0);
    expect(t.cluster.requests(ListOffsets)[0]!.request.topics[0]!.partitions[0]!.timestamp).toBe(EARLIEST_TIMESTAMP);
    t.updater.close();
  });

  it('backs off a reset the leader cannot answer yet, refreshes metadata, and resets once it can', async () => {
    const t = setup({ groupId: null });
    t.listOffsets.error = ErrorCodes.NOT_LEADER_OR_FOLLOWER;
    t.cluster.onRefresh = () => {
      t.listOffsets.error = undefined;
    };
    const [p0] = t.assign(0);
    const started = Date.now();
    await t.reaches(p0!, 'fetching');
    const requests = t.cluster.requests(ListOffsets);
    expect(requests).toHaveLength(2);
    expect(Date.now() - started).toBeGreaterThanOrEqual(35); // the backoff (40 ms) before the second
    expect(t.cluster.refreshes).toBeGreaterThan(0);
    t.updater.close();
  });

  it('fails the partition on a lookup error retrying cannot fix', async () => {
    const t = setup({ groupId: null });
    t.listOffsets.error = ErrorCodes.TOPIC_AUTHORIZATION_FAILED;
    const [p0] = t.assign(0);
    await t.reaches(p0!, 'failed');
    expect(p0!.error).toBeInstanceOf(TopicAuthorizationFailedError);
    t.updater.close();
  });

  it('waits for onPartitionsAssigned (a held partition) before reading its committed offset', async () => {
    const t = setup();
    t.subscriptions.subscribe(['t']);
    const [p0] = t.subscriptions.add([{ topic: 't', partition: 0 }], true);
    await nextTurn(); // the updater's run (scheduled by the assignment) is done
    expect(t.cluster.requests(OffsetFetch)).toHaveLength(0);
    p0!.seek(7n, undefined); // the listener seeks
    p0!.release();
    expect(p0!.state).toBe('fetching');
    expect(t.cluster.requests(OffsetFetch)).toHaveLength(0);
    t.updater.close();
  });

  it('keeps a seek made while the committed offset was being read', async () => {
    const t = setup();
    t.committed.set(0, { offset: 42n, epoch: -1 });
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    t.cluster.answer(OffsetFetch, async (request) => {
      await held;
      return offsetFetchAnswer(request, t.committed);
    });
    const [p0] = t.assign(0);
    await t.cluster.received(OffsetFetch, 1);
    p0!.seek(7n, undefined);
    release();
    await nextTurn(); // the answer has gone through the committer and the updater
    expect([p0!.state, p0!.position]).toEqual(['fetching', 7n]);
    t.updater.close();
  });

  it('validates a fetching position when metadata names a newer leader epoch; truncation resumes where the logs agree', async () => {
    const { t, p0 } = await fetchingFrom({ offset: 80n, epoch: 5 });
    // A new leader (epoch 6) whose log ends epoch 5 at offset 60: records 60-79 were lost.
    t.log.epochs.set(5, 60n);
    t.cluster.publish((m) => {
      const info = m.topics.get('t')!;
      const partitions = info.partitions.map((p) => ({ ...p, leader: 2, leaderEpoch: 6 }));
      return { ...m, topics: new Map(m.topics).set('t', { ...info, partitions }) };
    });
    expect(p0!.state).toBe('await-validation');
    await t.reaches(p0!, 'fetching');
    expect(t.cluster.requests(OffsetForLeaderEpoch).at(-1)!.node).toBe(2);
    expect([p0!.position, p0!.fetchOffset]).toEqual([60n, 60n]);
    t.updater.close();
  });

  it('resets by autoOffsetReset when the leader knows nothing of the position epoch', async () => {
    // Epoch 3 is unknown to the leader.
    const { t, p0 } = await fetchingFrom({ offset: 42n, epoch: 3 }, { autoOffsetReset: 'earliest' });
    expect(p0!.position).toBe(10n);
    t.updater.close();
  });
});
