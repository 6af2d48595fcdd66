import { describe, expect, it } from 'vitest';
import { FakeCluster } from '../../../test/consumer/support/fake-cluster.js';
import { recordingRebalance } from '../../../test/consumer/support/recording-rebalance.js';
import { ErrorCodes } from '../../errors/error-codes.generated.js';
import { Heartbeat } from '../../protocol/messages/generated/heartbeat.js';
import {
  JoinGroup,
  type JoinGroupRequest,
  type JoinGroupResponse,
} from '../../protocol/messages/generated/join-group.js';
import { LeaveGroup } from '../../protocol/messages/generated/leave-group.js';
import {
  SyncGroup,
  type SyncGroupRequest,
  type SyncGroupResponse,
} from '../../protocol/messages/generated/sync-group.js';
import { silentLogger } from '../../utils/logger.js';
import { CooperativeStickyAssignor, type PartitionAssignor, RangeAssignor } from '../assignors/index.js';
import { MaxPollIntervalExceededError } from '../consumer-errors.js';
import { decodeAssignment, decodeSubscription, encodeAssignment, encodeSubscription } from '../consumer-protocol.js';
import { expectStoppedFatally } from '../fixtures/fatal-member.js';
import { until } from '../fixtures/until.js';
import { ClassicGroupMember } from './classic-group-member.js';
import { GroupCoordinator } from './group-coordinator.js';

/**
 * A group coordinator played from a script, as the broker would: a member joining without an id is asked to join
 * again with the one it is given (KIP-394); each JoinGroup starts a new generation whose leader is the member under
 * test, with the `others` members beside it; SyncGroup hands each member what the leader assigned. Heartbeat and
 * JoinGroup answer with the queued error codes first.
 */
class ScriptedCoordinator {
  generation = 0;
  /** Other members of the group, by id, with their subscribed topics. */
  readonly others = new Map<string, string[]>();
  readonly heartbeatErrors: number[] = [];
  readonly joinErrors: number[] = [];
  readonly joins: JoinGroupRequest[] = [];
  readonly syncs: SyncGroupRequest[] = [];

  constructor(cluster: FakeCluster) {
    cluster.answer(JoinGroup, (request) => this.join(request));
    cluster.answer(SyncGroup, (request) => this.sync(request));
    cluster.answer(Heartbeat, () => ({ throttleTimeMs: 0, errorCode: this.heartbeatErrors.shift() ?? 0 }));
    cluster.answer(LeaveGroup, () => ({ throttleTimeMs: 0, errorCode: 0, members: [] }));
  }

  private join(request: JoinGroupRequest): JoinGroupResponse {
    this.joins.push(request);
    const base = {
      throttleTimeMs: 0,
      protocolType: 'consumer',
      protocolName: request.protocols[0]!.name,
      skipAssignment: false,
      members: [],
    };
    const error = this.joinErrors.shift();
    if (error !== undefined) {
      return { ...base, errorCode: error, generationId: -1, leader: '', memberId: request.memberId };
    }
    if (request.memberId === '') {
      return { ...base, errorCode: ErrorCodes.MEMBER_ID_REQUIRED, generationId: -1, leader: '', memberId: 'm-1' };
    }
    this.generation++;
    const members = [
      { memberId: request.memberId, groupInstanceId: null, metadata: request.protocols[0]!.metadata },
      ...[...this.others].map(([memberId, topics]) => ({
        memberId,
        groupInstanceId: null,
        metadata: encodeSubscription({ topics, userData: null, ownedPartitions: [], generationId: -1, rackId: null }),
      })),
    ];
    return {
      ...base,
      errorCode: 0,
      generationId: this.generation,
      leader: request.memberId,
      memberId: request.memberId,
      members,
    };
  }

  private sync(request: SyncGroupRequest): SyncGroupResponse {
    this.syncs.push(request);
    const own = request.assignments.find((a) => a.memberId === request.memberId);
    return {
      throttleTimeMs: 0,
      errorCode: 0,
      protocolType: 'consumer',
      protocolName: request.protocolName ?? null,
      assignment: own?.assignment ?? encodeAssignment({ partitions: [], userData: null }),
    };
  }

  /** What the last SyncGroup assigned to `memberId`, as partition numbers. */
  assigned(memberId: string): number[] {
    const assignment = this.syncs.at(-1)?.assignments.find((a) => a.memberId === memberId)?.assignment;
    return assignment === undefined ? [] : decodeAssignment(assignment).partitions.map((tp) => tp.partition);
  }
}

function setup(options: { assignors?: PartitionAssignor[]; groupInstanceId?: string } = {}) {
  const cluster = new FakeCluster([{ name: 't', partitions: 4 }]);
  const coordinator = new ScriptedCoordinator(cluster);
  const rebalance = recordingRebalance(['t']);
  const member = new ClassicGroupMember(
    {
      groupId: 'g',
      groupInstanceId: options.groupInstanceId,
      sessionTimeoutMs: 10_000,
      rebalanceTimeoutMs: 10_000,
      heartbeatIntervalMs: 10,
      requestTimeoutMs: 5_000,
      clientRack: undefined,
      assignors: options.assignors ?? [new RangeAssignor()],
      logger: silentLogger,
      retryDelay: () => 5,
    },
    new GroupCoordinator(cluster, 'g'),
    { cluster, handler: rebalance.handler, subscribedTopics: rebalance.subscribedTopics, raise: rebalance.raise },
  );
  return { cluster, coordinator, member, ...rebalance };
}

describe('ClassicGroupMember', () => {
  it('joins with the member id the coordinator requires, assigns as leader, syncs and takes its partitions', async () => {
    const t = setup();
    t.coordinator.others.set('m-2', ['t']);
    t.member.start();
    await until(() => t.member.state === 'stable', 'a stable member');
    expect(t.coordinator.joins.map((j) => j.memberId)).toEqual(['', 'm-1']);
    const subscription = decodeSubscription(t.coordinator.joins[1]!.protocols[0]!.metadata);
    expect(subscription.topics).toEqual(['t']);
    // range over 4 partitions and two members
    expect([t.coordinator.assigned('m-1'), t.coordinator.assigned('m-2')]).toEqual([
      [0, 1],
      [2, 3],
    ]);
    expect(t.events).toEqual(['assigned 0,1']);
    expect(t.member.generation()).toEqual({ generationId: 1, memberId: 'm-1', groupInstanceId: null });
    t.member.close();
  });

  it('heartbeats on its own timer; when the group rebalances an eager member revokes (committing) before it rejoins', async () => {
    const t = setup();
    t.member.start();
    await until(() => t.member.state === 'stable', 'a stable member');
    await t.cluster.received(Heartbeat, 2);
    t.coordinator.others.set('m-2', ['t']);
    t.coordinator.heartbeatErrors.push(ErrorCodes.REBALANCE_IN_PROGRESS);
    await until(() => t.coordinator.generation === 2 && t.member.state === 'stable', 'the second generation');
    expect(t.events).toEqual(['assigned 0,1,2,3', 'revoked 0,1,2,3', 'assigned 0,1']);
    expect(t.commits).toEqual([[0, 1, 2, 3].map((partition) => ({ topic: 't', partition }))]);
    // The rejoin carried the generation of the last assignment (KIP-792).
    expect(decodeSubscription(t.coordinator.joins.at(-1)!.protocols[0]!.metadata).generationId).toBe(1);
    t.member.close();
  });

  it('cooperative: keeps its partitions through the rebalance, revokes only those that move, and rejoins', async () => {
    const t = setup({ assignors: [new CooperativeStickyAssignor()] });
    t.member.start();
    await until(() => t.member.state === 'stable', 'a stable member');
    t.coordinator.others.set('m-2', ['t']);
    t.coordinator.heartbeatErrors.push(ErrorCodes.REBALANCE_IN_PROGRESS);
    // Generation 2 takes two partitions away from m-1 (revoked), generation 3 gives them to m-2.
    await until(() => t.coordinator.generation === 3 && t.member.state === 'stable', 'the third generation');
    // onPartitionsAssigned marks the end of each rebalance, here with nothing new.
    expect(t.events).toEqual(['assigned 0,1,2,3', expect.stringMatching(/^revoked \d,\d$/), 'assigned ', 'assigned ']);
    expect(t.coordinator.assigned('m-2')).toHaveLength(2);
    expect(t.subscriptions.assignment()).toHaveLength(2);
    // The partitions it kept were never revoked, and it said what it owned when it rejoined.
    const owned = decodeSubscription(t.coordinator.joins.at(-2)!.protocols[0]!.metadata).ownedPartitions;
    expect(owned).toHaveLength(4);
    t.member.close();
  });

  it('loses its partitions when a heartbeat says its generation is gone, then joins again', async () => {
    const t = setup();
    t.member.start();
    await until(() => t.member.state === 'stable', 'a stable member');
    t.coordinator.heartbeatErrors.push(ErrorCodes.ILLEGAL_GENERATION);
    await until(() => t.coordinator.generation === 2 && t.member.state === 'stable', 'the second generation');
    expect(t.events).toEqual(['assigned 0,1,2,3', 'lost 0,1,2,3', 'assigned 0,1,2,3']);
    expect(t.commits).toEqual([]);
    t.member.close();
  });

  it('forgets the coordinator when it moved and joins again', async () => {
    const t = setup();
    t.coordinator.joinErrors.push(ErrorCodes.NOT_COORDINATOR);
    t.member.start();
    await until(() => t.member.state === 'stable', 'a stable member');
    expect(t.cluster.coordinatorInvalidations).toBeGreaterThan(0);
    expect(t.coordinator.joins.length).toBeGreaterThanOrEqual(3);
    t.member.close();
  });

  it('stops with GroupMembershipError when another member holds its static instance id', async () => {
    const t = setup({ groupInstanceId: 'i-1' });
    t.coordinator.joinErrors.push(ErrorCodes.FENCED_INSTANCE_ID);
    t.member.start();
    await expectStoppedFatally(t);
  });

  it('leaves: revokes with a commit, then sends LeaveGroup; a static member keeps its session', async () => {
    for (const instance of [undefined, 'i-1']) {
      const t = setup(instance === undefined ? {} : { groupInstanceId: instance });
      t.member.start();
      await until(() => t.member.state === 'stable', 'a stable member');
      await t.member.leave('closing');
      expect(t.events).toEqual(['assigned 0,1,2,3', 'revoked 0,1,2,3']);
      expect(t.commits).toHaveLength(1);
      expect(t.cluster.requests(LeaveGroup)).toHaveLength(instance === undefined ? 1 : 0);
      expect(t.member.state).toBe('closed');
      t.member.close();
    }
  });

  it('on a poll timeout loses its partitions, leaves and raises MaxPollIntervalExceededError; start() rejoins', async () => {
    const t = setup();
    t.member.start();
    await until(() => t.member.state === 'stable', 'a stable member');
    await t.member.pollTimeout();
    expect(t.events).toEqual(['assigned 0,1,2,3', 'lost 0,1,2,3']);
    expect(t.raised[0]).toBeInstanceOf(MaxPollIntervalExceededError);
    expect(t.cluster.requests(LeaveGroup)).toHaveLength(1);
    expect(t.member.state).toBe('left');
    t.member.start();
    await until(() => t.member.state === 'stable', 'a stable member again');
    expect(t.events.at(-1)).toBe('assigned 0,1,2,3');
    t.member.close();
  });

  it('as leader, rejoins when a topic it assigned gains partitions', async () => {
    const t = setup();
    t.member.start();
    await until(() => t.member.state === 'stable', 'a stable member');
    t.cluster.publish((m) => {
      const info = m.topics.get('t')!;
      const partitions = [...info.partitions, { ...info.partitions[0]!, partition: 4 }];
      return { ...m, topics: new Map(m.topics).set('t', { ...info, partitions }) };
    });
    t.member.metadataChanged();
    await until(() => t.coordinator.generation === 2 && t.member.state === 'stable', 'the second generation');
    expect(t.events.at(-1)).toBe('assigned 0,1,2,3,4');
    t.member.close();
  });
});
