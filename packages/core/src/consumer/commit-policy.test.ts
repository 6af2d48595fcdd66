import { afterEach, describe, expect, it, vi } from 'vitest';
import { silentLogger } from '../utils/logger.js';
import { CommitPolicy, type CommitPolicyOptions } from './commit-policy.js';
import { CommitFailedError, InvalidGroupStateError } from './consumer-errors.js';
import { fakeOffsetTransport } from './fixtures/fake-offset-transport.js';
import type { GroupMember } from './group/group-member.js';
import { GroupMembership } from './group/group-membership.js';
import { type GroupGeneration, OffsetCommitter } from './offset-committer.js';
import { SubscriptionState } from './subscription-state.js';

const OPTIONS: CommitPolicyOptions = {
  enableAutoCommit: true,
  autoCommitIntervalMs: 1000,
  defaultApiTimeoutMs: 60_000,
  rebalanceTimeoutMs: 30_000,
};

/** A group member that only knows its generation (`undefined` while rebalancing). */
function memberWith(generation: () => GroupGeneration | undefined): GroupMember {
  return {
    state: 'stable',
    fatalError: undefined,
    start() {},
    subscriptionChanged() {},
    metadataChanged() {},
    generation,
    async pollTimeout() {},
    async leave() {},
    close() {},
  };
}

/**
 * A commit policy over a real committer and subscription state (partitions t-0 and t-1 at their committed offset
 * 0), whose coordinator accepts every commit and records it.
 */
function setup(options: Partial<CommitPolicyOptions> = {}, group: string | null = 'g') {
  const groupId = group ?? undefined;
  const { transport, sent: commits } = fakeOffsetTransport([]);
  const subscriptions = new SubscriptionState();
  const states = subscriptions.assignManually([
    { topic: 't', partition: 0 },
    { topic: 't', partition: 1 },
  ]).added;
  for (const state of states) {
    state.seek(0n, undefined);
    state.markCommitted(0n, -1); // where the group's committed offsets left them
  }
  const committer =
    groupId === undefined
      ? undefined
      : new OffsetCommitter(transport, subscriptions, { groupId, retryDelay: () => 1, logger: silentLogger });
  const membership = new GroupMembership(groupId);
  const policy = new CommitPolicy(committer, membership, { ...OPTIONS, ...options }, silentLogger);
  /** The application processed `partition` up to `offset` (exclusive). */
  const process = (partition: number, offset: bigint) => {
    const state = subscriptions.get('t', partition)!;
    state.delivered({ offset: offset - 1n, leaderEpoch: 0 });
    state.acknowledgeDelivered();
  };
  const committed = () => commits.map((c) => c.entries.map((e) => `${e.partition}@${e.offset}`).join(' '));
  return { subscriptions, states, policy, membership, commits, committed, process };
}

afterEach(() => {
  vi.useRealTimers();
});

describe('CommitPolicy', () => {
  it('has one deadline rule: the call timeout, bounded by the window of the trigger', () => {
    vi.useFakeTimers({ now: 1_000_000 });
    const { policy } = setup();
    expect(policy.deadline('call')).toBe(1_000_000 + 60_000);
    expect(policy.deadline('revoke')).toBe(1_000_000 + 30_000); // rebalanceTimeoutMs
    expect(policy.deadline('interval')).toBe(1_000_000 + 2_000); // two autoCommitIntervalMs
    const long = setup({ autoCommitIntervalMs: 300_000 });
    expect(long.policy.deadline('interval')).toBe(1_000_000 + 60_000); // never past defaultApiTimeoutMs
  });

  it('commits before a revocation what the application processed of those partitions, only once connected', async () => {
    const t = setup();
    t.process(0, 5n);
    t.process(1, 3n);
    await t.policy.beforeRevoke([t.states[0]!]);
    expect(t.commits).toEqual([]); // not connected yet
    t.policy.start();
    await t.policy.beforeRevoke([t.states[0]!]);
    expect(t.committed()).toEqual(['0@5']);
    expect(t.commits[0]!.generation.generationId).toBe(-1); // manual assignment: no member
    t.policy.stop();
  });

  it('follows enableAutoCommit, and on close the autoCommit close() was given', async () => {
    const off = setup({ enableAutoCommit: false });
    off.policy.start();
    off.process(0, 5n);
    await off.policy.beforeRevoke(off.states);
    expect(off.commits).toEqual([]);
    off.policy.close(true);
    await off.policy.beforeRevoke(off.states);
    expect(off.committed()).toEqual(['0@5']);

    const on = setup();
    on.policy.start();
    on.process(0, 5n);
    on.policy.close(false);
    await on.policy.beforeRevoke(on.states);
    expect(on.commits).toEqual([]);
  });

  it('skips the commits it starts itself while the member has no generation, and fails explicit ones', async () => {
    const t = setup();
    t.policy.start();
    t.membership.join(memberWith(() => undefined));
    t.process(0, 5n);
    await t.policy.beforeRevoke(t.states);
    await t.policy.readerExited();
    expect(t.commits).toEqual([]);
    await expect(t.policy.commit(undefined, Date.now() + 1000)).rejects.toBeInstanceOf(CommitFailedError);
    await expect(t.policy.atMostOnce()).rejects.toBeInstanceOf(CommitFailedError);
    t.membership.detach();
    t.membership.join(memberWith(() => ({ generationId: 4, memberId: 'm', groupInstanceId: null })));
    await t.policy.readerExited();
    expect(t.committed()).toEqual(['0@5']);
    expect(t.commits[0]!.generation.generationId).toBe(4);
    t.policy.stop();
  });

  it('commits what assign() dropped, though the partitions have left the assignment', async () => {
    const t = setup();
    t.policy.start();
    t.process(1, 8n);
    const { removed } = t.subscriptions.assignManually([{ topic: 't', partition: 0 }]);
    t.policy.unassigned(removed);
    await t.policy.drain();
    expect(t.committed()).toEqual(['1@8']);
    t.policy.stop();
  });

  it('commits periodically what changed since the last commit', async () => {
    vi.useFakeTimers();
    const t = setup();
    t.policy.start();
    t.process(0, 5n);
    await vi.advanceTimersByTimeAsync(1000);
    expect(t.committed()).toEqual(['0@5']);
    await vi.advanceTimersByTimeAsync(1000);
    expect(t.committed()).toEqual(['0@5']); // nothing new: nothing sent
    t.process(1, 2n);
    await vi.advanceTimersByTimeAsync(1000);
    expect(t.committed()).toEqual(['0@5', '1@2']);
    t.policy.close(true);
    t.process(1, 4n);
    await vi.advanceTimersByTimeAsync(5000);
    expect(t.committed()).toEqual(['0@5', '1@2']); // closing stops the interval
  });

  it('explicit commit: the delivered positions, or exactly the given offsets; needs a groupId', async () => {
    const t = setup();
    const sent: unknown[] = [];
    t.subscriptions.get('t', 0)!.delivered({ offset: 6n, leaderEpoch: 2 });
    await t.policy.commit(undefined, Date.now() + 1000, (offsets) => sent.push(...offsets));
    expect(t.committed()).toEqual(['0@7 1@0']);
    expect(sent).toEqual([
      { topic: 't', partition: 0, offset: 7n, leaderEpoch: 2, metadata: null },
      { topic: 't', partition: 1, offset: 0n, leaderEpoch: undefined, metadata: null },
    ]);
    await t.policy.commit([{ topic: 't', partition: 1, offset: 3n }], Date.now() + 1000);
    expect(t.committed().at(-1)).toBe('1@3');
    await expect(t.policy.commit([{ topic: 't', partition: 1, offset: -1n }], Date.now() + 1000)).rejects.toThrow(
      /offset: bigint >= 0/,
    );
    const noGroup = setup({}, null);
    await expect(noGroup.policy.commit(undefined, Date.now() + 1000)).rejects.toBeInstanceOf(InvalidGroupStateError);
    await expect(noGroup.policy.atMostOnce()).rejects.toBeInstanceOf(InvalidGroupStateError);
  });
});
