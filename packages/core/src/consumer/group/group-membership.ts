import { CommitFailedError } from '../consumer-errors.js';
import { type GenerationSource, type GroupGeneration, NO_GENERATION } from '../offset-committer.js';
import type { GroupMember } from './group-member.js';

/**
 * The consumer's place in its group over time: the {@link GroupMember} of the current subscription (created by
 * `subscribe()`, dropped by `unsubscribe()`), and the generation commits and offset reads carry. The parts that need
 * the generation (the commit policy, the position updater) hold this, never the facade.
 */
export class GroupMembership implements GenerationSource {
  private readonly groupId: string | undefined;
  private current: GroupMember | undefined;

  /** @param groupId The consumer's `groupId`, if it has one. */
  constructor(groupId: string | undefined) {
    this.groupId = groupId;
  }

  /** The member of the current subscription, if any. */
  get member(): GroupMember | undefined {
    return this.current;
  }

  /** A subscription made `member` the consumer's member. */
  join(member: GroupMember): void {
    this.current = member;
  }

  /** The subscription ended: returns the member (to leave and close), which is no longer the consumer's. */
  detach(): GroupMember | undefined {
    const member = this.current;
    this.current = undefined;
    return member;
  }

  /**
   * The generation of group-managed commits and reads: the member's (`undefined` while it has none), or -1 with no
   * member (`assign()` with a `groupId`); `undefined` without a `groupId`.
   */
  generation(): GroupGeneration | undefined {
    if (this.current !== undefined) return this.current.generation();
    return this.groupId === undefined ? undefined : NO_GENERATION;
  }

  /**
   * The generation an explicit commit carries.
   *
   * @throws CommitFailedError (retriable) while the member is joining or rebalancing and so has none.
   */
  commitGeneration(): GroupGeneration {
    if (this.current === undefined) return NO_GENERATION;
    const generation = this.current.generation();
    if (generation === undefined) {
      throw new CommitFailedError(
        'Cannot commit while the consumer is not in an active generation of its group (it is joining or ' +
          'rebalancing); its partitions may be reassigned. Commit again after the rebalance',
        { groupId: this.groupId, retriable: true },
      );
    }
    return generation;
  }
}
