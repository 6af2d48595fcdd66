import { describe, expect, it } from 'vitest';
import { FakeCluster, fakeTopicInfo } from '../../../test/consumer/support/fake-cluster.js';
import { recordingRebalance } from '../../../test/consumer/support/recording-rebalance.js';
import type {
  ConsumerGroupHeartbeatRequest,
  ConsumerGroupHeartbeatResponse,
} from '../../protocol/messages/generated/consumer-group-heartbeat.js';
import { silentLogger } from '../../utils/logger.js';
import { expectStoppedFatally } from '../fixtures/fatal-member.js';
import { ConsumerGroupMember } from './consumer-group-member.js';

const TOPIC_ID = 'AAAAAAAAAAAAAAAAAAAAAQ';
const OTHER_ID = 'AAAAAAAAAAAAAAAAAAAAAg';

/** A cluster with just the metadata the member reads, and a coordinator answering from a script. */
function setup(options: { groupInstanceId?: string } = {}) {
  const cluster = new FakeCluster([{ name: 't', topicId: TOPIC_ID, partitions: 4 }]);
  const requests: ConsumerGroupHeartbeatRequest[] = [];
  const responses: Array<Partial<ConsumerGroupHeartbeatResponse>> = [];
  let waiting: (() => void) | undefined;
  const transport = {
    async send(request: ConsumerGroupHeartbeatRequest): Promise<ConsumerGroupHeartbeatResponse> {
      requests.push(request);
      waiting?.();
      const scripted = responses.shift() ?? {};
      return {
        throttleTimeMs: 0,
        errorCode: 0,
        errorMessage: null,
        memberId: request.memberId,
        memberEpoch: request.memberEpoch < 0 ? request.memberEpoch : Math.max(1, request.memberEpoch),
        heartbeatIntervalMs: 60_000,
        assignment: null,
        ...scripted,
      };
    },
    coordinatorMoved: () => false,
  };
  const rebalance = recordingRebalance(['t']);
  const member = new ConsumerGroupMember(
    {
      groupId: 'g',
      groupInstanceId: options.groupInstanceId,
      rebalanceTimeoutMs: 30_000,
      clientRack: 'rack-1',
      serverAssignor: 'uniform',
      requestTimeoutMs: 30_000,
      logger: silentLogger,
      retryDelay: () => 5,
    },
    transport,
    { cluster, handler: rebalance.handler, subscribedTopics: rebalance.subscribedTopics, raise: rebalance.raise },
  );
  const nextRequest = async (count: number) => {
    const deadline = Date.now() + 5000;
    while (requests.length < count) {
      if (Date.now() > deadline) throw new Error(`only ${requests.length} of ${count} heartbeats sent`);
      await new Promise<void>((resolve) => {
        waiting = resolve;
        setTimeout(resolve, 50);
      });
    }
    return requests[count - 1]!;
  };
  const addTopic = (name: string, topicId: string, partitions: number) => {
    cluster.metadata = {
      ...cluster.metadata,
      topics: new Map(cluster.metadata.topics).set(name, fakeTopicInfo({ name, topicId, partitions })),
      topicNamesById: new Map(cluster.metadata.topicNamesById).set(topicId, name),
    };
  };
  return {
    member,
    requests,
    responses,
    events: rebalance.events,
    commits: rebalance.commits,
    raised: rebalance.raised,
    subscriptions: rebalance.subscriptions,
    nextRequest,
    addTopic,
    refreshes: () => cluster.refreshes,
  };
}

const assignment = (partitions: number[], topicId = TOPIC_ID) => ({
  assignment: { topicPartitions: [{ topicId, partitions }] },
});

/** A started member whose first heartbeat answered epoch `epoch` with `partitions` of `t`, once it acknowledged them. */
async function joined(epoch: number, partitions: number[]) {
  const t = setup();
  t.responses.push({ memberEpoch: epoch, ...assignment(partitions) });
  t.member.start();
  await t.nextRequest(2);
  return t;
}

describe('ConsumerGroupMember (KIP-848 reconciliation)', () => {
  it('joins with epoch 0, every field and its own member id, then reconciles and acknowledges at once', async () => {
    const t = setup();
    t.responses.push({ memberEpoch: 1, ...assignment([0, 1]) });
    t.member.start();
    const join = await t.nextRequest(1);
    expect(join).toMatchObject({
      groupId: 'g',
      memberEpoch: 0,
      instanceId: null,
      rackId: 'rack-1',
      rebalanceTimeoutMs: 30_000,
      subscribedTopicNames: ['t'],
      serverAssignor: 'uniform',
      topicPartitions: [],
    });
    expect(join.memberId).toMatch(/^[A-Za-z0-9_-]{22}$/);
    const ack = await t.nextRequest(2);
    expect(t.events).toEqual(['assigned 0,1']);
    expect(ack.memberEpoch).toBe(1);
    expect(ack.topicPartitions).toEqual([{ topicId: TOPIC_ID, partitions: [0, 1] }]);
    expect(t.member.state).toBe('stable');
    expect(t.member.generation()).toEqual({ generationId: 1, memberId: join.memberId, groupInstanceId: null });
    t.member.close();
  });

  it('revokes (committing first) before it assigns, and acknowledges the new set', async () => {
    const t = await joined(1, [0, 1]);
    t.responses.push({ memberEpoch: 2, ...assignment([0, 2]) });
    t.member.subscriptionChanged(); // sends a heartbeat now, which brings the new target
    const ack = await t.nextRequest(4);
    expect(t.events).toEqual(['assigned 0,1', 'revoked 1', 'assigned 2']);
    expect(t.commits).toEqual([[{ topic: 't', partition: 1 }]]);
    expect(ack.topicPartitions).toEqual([{ topicId: TOPIC_ID, partitions: [0, 2] }]);
    expect(t.subscriptions.assignment().map((tp) => tp.partition)).toEqual([0, 2]);
    t.member.close();
  });

  it('waits for metadata to resolve topic ids it does not know yet', async () => {
    const t = setup();
    t.responses.push({
      memberEpoch: 1,
      assignment: {
        topicPartitions: [
          { topicId: TOPIC_ID, partitions: [0] },
          { topicId: OTHER_ID, partitions: [0] },
        ],
      },
    });
    t.member.start();
    await t.nextRequest(2);
    expect(t.events).toEqual(['assigned 0']);
    expect(t.refreshes()).toBeGreaterThan(0);
    // The topic shows up in metadata: the waiting partition is reconciled.
    t.addTopic('u', OTHER_ID, 1);
    t.member.metadataChanged();
    await t.nextRequest(3);
    expect(t.subscriptions.assignment()).toEqual([
      { topic: 't', partition: 0 },
      { topic: 'u', partition: 0 },
    ]);
    t.member.close();
  });

  it('when fenced, loses its partitions and rejoins with epoch 0', async () => {
    const t = await joined(3, [0, 1]);
    t.responses.push({ errorCode: 110 }); // FENCED_MEMBER_EPOCH
    t.member.subscriptionChanged();
    const rejoin = await t.nextRequest(4);
    expect(t.events).toEqual(['assigned 0,1', 'lost 0,1']);
    expect(t.commits).toEqual([]);
    expect(rejoin.memberEpoch).toBe(0);
    expect(rejoin.memberId).toBe(t.requests[0]!.memberId);
    t.member.close();
  });

  it('raises a fatal error (another member holds the static instance id) and stops', async () => {
    const t = setup({ groupInstanceId: 'i-1' });
    t.responses.push({ errorCode: 111 }); // UNRELEASED_INSTANCE_ID
    t.member.start();
    await expectStoppedFatally(t);
  });

  it('leaves with epoch -1, or -2 for a static member, after revoking with a commit', async () => {
    for (const [instance, epoch] of [
      [undefined, -1],
      ['i-1', -2],
    ] as const) {
      const t = setup(instance === undefined ? {} : { groupInstanceId: instance });
      t.responses.push({ memberEpoch: 1, ...assignment([0]) });
      t.member.start();
      await t.nextRequest(2);
      await t.member.leave('closing');
      expect(t.events).toEqual(['assigned 0', 'revoked 0']);
      expect(t.commits).toEqual([[{ topic: 't', partition: 0 }]]);
      expect(t.requests.at(-1)!.memberEpoch).toBe(epoch);
      expect(t.member.state).toBe('closed');
    }
  });
});
