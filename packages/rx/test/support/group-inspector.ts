import { Admin } from '@vltava/core';

/** A group as its coordinator describes it. */
export interface GroupDescription {
  readonly state: string;
  readonly members: readonly string[];
}

/**
 * Looks at consumer groups from the broker's side, for the integration tests: the state and members of a group now,
 * through the admin client's `describeGroups` (ConsumerGroupDescribe for KIP-848 groups, DescribeGroups for classic
 * ones). A group the coordinator does not know has no members.
 */
export class GroupInspector {
  private readonly admin: Admin;

  constructor(brokers: string | readonly string[]) {
    this.admin = new Admin({ brokers, clientId: 'rx-tests', logLevel: 'error' });
  }

  /** The group's state and member ids. */
  async describe(groupId: string): Promise<GroupDescription> {
    const [result] = await this.admin.describeGroups([groupId]);
    if (result === undefined || result.error !== undefined) return { state: 'Dead', members: [] };
    return { state: result.state, members: result.members.map((m) => m.memberId) };
  }

  /** Closes the connections. */
  async close(): Promise<void> {
    await this.admin.close();
  }
}
