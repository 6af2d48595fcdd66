import { describe, expect, it } from 'vitest';
import { ErrorCodes } from '../../errors/error-codes.generated.js';
import type {
  ShareGroupHeartbeatRequest,
  ShareGroupHeartbeatResponse,
} from '../../protocol/messages/generated/share-group-heartbeat.js';
import { silentLogger } from '../../utils/logger.js';
import { GroupMembershipError } from '../consumer-errors.js';
import { ShareGroupsUnavailableError } from './share-errors.js';
import { ShareGroupMember } from './share-group-member.js';

function response(fields: Partial<ShareGroupHeartbeatResponse>): ShareGroupHeartbeatResponse {
  return {
    throttleTimeMs: 0,
    errorCode: ErrorCodes.NONE,
    errorMessage: null,
    memberId: null,
    memberEpoch: 1,
    heartbeatIntervalMs: 60_000,
    assignment: null,
    ...fields,
  };
}

/** A member over a scripted transport; resolves each heartbeat with the next scripted answer. */
function setup(answers: Array<ShareGroupHeartbeatResponse | Error>) {
  const requests: ShareGroupHeartbeatRequest[] = [];
  const assignments: Array<Map<string, readonly number[]>> = [];
  const raised: unknown[] = [];
  let moved = 0;
  let answered = 0;
  const member = new ShareGroupMember(
    { groupId: 'g', clientRack: 'rack-1', logger: silentLogger, retryDelay: () => 1 },
    {
      send: async (request) => {
        requests.push(request);
        const answer = answers.shift() ?? response({ memberEpoch: 99 });
        answered++;
        if (answer instanceof Error) throw answer;
        return answer;
      },
      coordinatorMoved: () => {
        moved++;
      },
    },
    {
      subscribedTopics: () => ['orders'],
      assignmentChanged: (a) => assignments.push(new Map(a)),
      raise: (error) => raised.push(error),
    },
  );
  const until = async (count: number) => {
    for (let i = 0; i < 500 && answered < count; i++) await new Promise((r) => setTimeout(r, 2));
  };
  return { member, requests, assignments, raised, moved: () => moved, until };
}

describe('ShareGroupMember', () => {
  it('joins with epoch 0, its rack and topics, then follows the assignment', async () => {
    const s = setup([
      response({ memberEpoch: 3, assignment: { topicPartitions: [{ topicId: 'T', partitions: [0, 1] }] } }),
    ]);
    s.member.start();
    await s.until(1);
    expect(s.requests[0]).toMatchObject({
      groupId: 'g',
      memberEpoch: 0,
      rackId: 'rack-1',
      subscribedTopicNames: ['orders'],
    });
    expect(s.requests[0]!.memberId).toHaveLength(22);
    expect(s.member.state).toBe('stable');
    expect(s.member.epoch).toBe(3);
    expect(s.assignments).toEqual([new Map([['T', [0, 1]]])]);
    s.member.close();
  });

  it('rejoins with epoch 0 after FENCED_MEMBER_EPOCH, dropping the assignment meanwhile', async () => {
    const s = setup([response({ memberEpoch: 2 }), response({ errorCode: ErrorCodes.FENCED_MEMBER_EPOCH })]);
    s.member.start();
    await s.until(1);
    s.member.subscriptionChanged(); // next heartbeat now
    await s.until(3);
    expect(s.requests[1]!.memberEpoch).toBe(2);
    expect(s.requests[2]!.memberEpoch).toBe(0);
    expect(s.assignments).toEqual([new Map()]);
    s.member.close();
  });

  it('forgets the coordinator when it moved, and retries', async () => {
    const s = setup([response({ errorCode: ErrorCodes.NOT_COORDINATOR }), response({ memberEpoch: 5 })]);
    s.member.start();
    await s.until(2);
    expect(s.moved()).toBe(1);
    expect(s.member.epoch).toBe(5);
    s.member.close();
  });

  it('raises a clear error for a group id taken by another group type, and for a broker without share groups', async () => {
    const a = setup([response({ errorCode: ErrorCodes.INCONSISTENT_GROUP_PROTOCOL })]);
    a.member.start();
    await a.until(1);
    expect(a.raised[0]).toBeInstanceOf(GroupMembershipError);
    expect(String(a.raised[0])).toMatch(/not a share group/);
    expect(a.member.state).toBe('fatal');
    const b = setup([new ShareGroupsUnavailableError('no share groups here')]);
    b.member.start();
    await b.until(1);
    expect(b.raised[0]).toBeInstanceOf(ShareGroupsUnavailableError);
    expect(b.member.fatalError).toBe(b.raised[0]);
  });

  it('leaves with epoch -1', async () => {
    const s = setup([response({ memberEpoch: 4 })]);
    s.member.start();
    await s.until(1);
    await s.member.leave();
    expect(s.requests.at(-1)).toMatchObject({ memberEpoch: -1 });
    expect(s.member.state).toBe('idle'); // may join again
    s.member.close();
    expect(s.member.state).toBe('closed');
  });
});
