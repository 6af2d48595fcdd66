import type { KafkaError } from '../../errors/kafka-error.js';
import type { GroupGeneration } from '../offset-committer.js';

/** The states a group member reports in metrics and logs. */
export type GroupMemberState = 'idle' | 'joining' | 'reconciling' | 'stable' | 'left' | 'fatal' | 'closed';

/**
 * A consumer's membership in its group, whichever protocol runs it (classic JoinGroup/SyncGroup or KIP-848
 * ConsumerGroupHeartbeat). Heartbeats run on timers of their own, so a slow loop body never costs membership; the
 * member applies assignment changes through the `RebalanceHandler`.
 */
export interface GroupMember {
  /** Current state. */
  readonly state: GroupMemberState;
  /** A fatal error (fenced static member, group full, ...): raised again at every read. */
  readonly fatalError: KafkaError | undefined;
  /** Joins the group if not a member (first read, or the read after a poll timeout). Idempotent. */
  start(): void;
  /** The subscribed topics changed (subscribe again, a pattern matched a new topic): tell the group. */
  subscriptionChanged(): void;
  /** The cluster metadata changed (a leader checks the partition counts it assigned). */
  metadataChanged(): void;
  /** The generation (member epoch) for commits, or `undefined` while the member has none. */
  generation(): GroupGeneration | undefined;
  /**
   * The application did not ask for records within `maxPollIntervalMs`: leave the group (a static member keeps its
   * session and only forgets its generation), lose the partitions, and raise `MaxPollIntervalExceededError`.
   */
  pollTimeout(): Promise<void>;
  /**
   * Leaves the group for good (close, unsubscribe): revokes the partitions in an orderly way (committing), then
   * sends the leave request (a static member does not, so that a restart within the session keeps its partitions).
   */
  leave(reason: string): Promise<void>;
  /** Stops every timer and request loop. */
  close(): void;
}
