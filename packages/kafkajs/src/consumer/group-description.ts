import type { CoreGroupDescription } from '../core.js';
import { ErrorCodes } from '../core.js';
import { AssignerProtocol } from './assigner-protocol.js';
import type { ConsumerGroupState, GroupDescription } from './consumer-types.js';
import { partitionsByTopic } from './partitions-by-topic.js';

const STATES: Record<string, ConsumerGroupState> = {
  unknown: 'Unknown',
  preparingRebalance: 'PreparingRebalance',
  completingRebalance: 'CompletingRebalance',
  stable: 'Stable',
  dead: 'Dead',
  empty: 'Empty',
  // KIP-848 consumer groups: the closest classic state.
  assigning: 'PreparingRebalance',
  reconciling: 'CompletingRebalance',
  notReady: 'Unknown',
};

/**
 * A group description of the engine in KafkaJS's shape: Kafka's state names, members with their assignment and
 * metadata in the consumer protocol's encoding (for KIP-848 groups, encoded from the assignment and subscription the
 * broker reports).
 */
export function toGroupDescription(groupId: string, description: CoreGroupDescription): GroupDescription {
  const state = STATES[description.state] ?? 'Unknown';
  if (description.type === 'classic') {
    return {
      groupId,
      errorCode: ErrorCodes.NONE,
      protocol: description.protocol,
      protocolType: description.protocolType,
      state,
      members: description.members.map((m) => ({
        memberId: m.memberId,
        clientId: m.clientId,
        clientHost: m.clientHost,
        memberMetadata: m.metadata,
        memberAssignment: m.rawAssignment,
      })),
    };
  }
  return {
    groupId,
    errorCode: ErrorCodes.NONE,
    protocol: description.assignor,
    protocolType: 'consumer',
    state,
    members: description.members.map((m) => {
      const assignment = partitionsByTopic(m.assignment);
      return {
        memberId: m.memberId,
        clientId: m.clientId,
        clientHost: m.clientHost,
        memberMetadata: AssignerProtocol.MemberMetadata.encode({
          version: 0,
          topics: [...m.subscribedTopicNames],
          userData: Buffer.alloc(0),
        }),
        memberAssignment: AssignerProtocol.MemberAssignment.encode({
          version: 0,
          assignment,
          userData: Buffer.alloc(0),
        }),
      };
    }),
  };
}

/** The description of a group that does not exist, as KafkaJS reports it. */
export function deadGroup(groupId: string): GroupDescription {
  return { groupId, errorCode: ErrorCodes.NONE, protocol: '', protocolType: '', state: 'Dead', members: [] };
}
