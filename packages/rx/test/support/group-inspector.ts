/**
 * Looks at consumer groups from the broker's side, for the integration tests: which members a group has now, by
 * DescribeGroups (classic groups) or ConsumerGroupDescribe (KIP-848 groups).
 *
 * Test support only: it uses the core's cluster layer and generated codecs directly, as the core's own tests do,
 * until the admin client's `describeGroups` is on main. The package code itself imports `@vltava/core` only.
 */
import { resolveClientOptions } from '../../../core/src/cluster/client-options.js';
import { Cluster, CoordinatorType } from '../../../core/src/cluster/cluster.js';
import { ConsumerGroupDescribe } from '../../../core/src/protocol/messages/generated/consumer-group-describe.js';
import { DescribeGroups } from '../../../core/src/protocol/messages/generated/describe-groups.js';

/** A group as the coordinator describes it. */
export interface GroupDescription {
  readonly state: string;
  readonly members: readonly string[];
}

/** Describes groups through their coordinator. */
export class GroupInspector {
  private readonly cluster: Cluster;

  constructor(brokers: string) {
    this.cluster = new Cluster(resolveClientOptions({ brokers, clientId: 'rx-tests', logLevel: 'error' }));
  }

  /** The group's state and member ids (classic protocol). */
  async describe(groupId: string, protocol: 'classic' | 'consumer' = 'classic'): Promise<GroupDescription> {
    const coordinator = await this.cluster.findCoordinator(CoordinatorType.group, groupId, 30_000);
    if (protocol === 'consumer') {
      const response = await this.cluster.send(coordinator.nodeId, ConsumerGroupDescribe, {
        groupIds: [groupId],
        includeAuthorizedOperations: false,
      });
      const group = response.groups[0];
      if (group === undefined || group.errorCode === 69 /* GROUP_ID_NOT_FOUND */) return { state: 'Dead', members: [] };
      return { state: group.groupState, members: group.members.map((m) => m.memberId) };
    }
    const response = await this.cluster.send(coordinator.nodeId, DescribeGroups, { groups: [groupId] });
    const group = response.groups[0];
    if (group === undefined) return { state: 'Dead', members: [] };
    return { state: group.groupState, members: group.members.map((m) => m.memberId) };
  }

  /** Closes the connections. */
  close(): void {
    this.cluster.close();
  }
}
