import { toKafkaError } from '../../errors/client-errors.js';
import { isAuthorizationFailure, isCoordinatorMoved } from '../../errors/error-classification.js';
import { ErrorCodes } from '../../errors/error-codes.generated.js';
import { createBrokerError } from '../../errors/index.js';
import type { KafkaError } from '../../errors/kafka-error.js';
import { Heartbeat } from '../../protocol/messages/generated/heartbeat.js';
import { JoinGroup } from '../../protocol/messages/generated/join-group.js';
import { LeaveGroup } from '../../protocol/messages/generated/leave-group.js';
import { SyncGroup } from '../../protocol/messages/generated/sync-group.js';
import { delay } from '../../utils/delay.js';
import type { Logger } from '../../utils/logger.js';
import { partitionKey } from '../../vocabulary/topic-partition.js';
import type {
  GroupMemberSubscription,
  MemberAssignment,
  PartitionAssignor,
  RebalanceProtocol,
  TopicPartitionInfo,
} from '../assignors/index.js';
import type { MetadataView } from '../cluster-view.js';
import { GroupMembershipError, MaxPollIntervalExceededError } from '../consumer-errors.js';
import {
  CONSUMER_PROTOCOL_TYPE,
  decodeAssignment,
  decodeSubscription,
  encodeAssignment,
  encodeSubscription,
} from '../consumer-protocol.js';
import type { GroupGeneration } from '../offset-committer.js';
import type { CoordinatorClient } from './group-coordinator.js';
import type { GroupMember, GroupMemberState } from './group-member.js';
import { HeartbeatTimer } from './heartbeat.js';
import type { RebalanceHandler } from './rebalance-handler.js';
import { type RebalancingMember, traceRebalance } from './rebalance-trace.js';

/** Settings of a classic group member. */
export interface ClassicGroupMemberOptions {
  readonly groupId: string;
  readonly groupInstanceId: string | undefined;
  readonly sessionTimeoutMs: number;
  readonly rebalanceTimeoutMs: number;
  readonly heartbeatIntervalMs: number;
  readonly requestTimeoutMs: number;
  readonly clientRack: string | undefined;
  /** Assignors in preference order. */
  readonly assignors: readonly PartitionAssignor[];
  readonly logger: Logger;
  /** Backoff before retry `attempt`. */
  readonly retryDelay: (attempt: number) => number;
}

/** What the classic member needs from the consumer besides the coordinator. */
export interface ClassicGroupHost {
  /** Metadata: partition counts and racks of the topics the leader assigns. */
  readonly cluster: MetadataView;
  readonly handler: RebalanceHandler;
  /** Topics this member subscribes to. */
  subscribedTopics(): readonly string[];
  /** Raises an error to the application at its next read. */
  raise(error: KafkaError): void;
}

/**
 * Error codes after which the member cannot continue: its configuration has to change (or another instance holds
 * its static id). Raised as `GroupMembershipError`; the member stays down.
 */
const FATAL_JOIN_CODES = new Set<number>([
  ErrorCodes.FENCED_INSTANCE_ID,
  ErrorCodes.GROUP_MAX_SIZE_REACHED,
  ErrorCodes.INCONSISTENT_GROUP_PROTOCOL,
  ErrorCodes.INVALID_SESSION_TIMEOUT,
  ErrorCodes.INVALID_GROUP_ID,
  ErrorCodes.UNSUPPORTED_VERSION,
]);

/**
 * A member of a consumer group under the classic protocol (KIP-62 heartbeats, KIP-345 static membership, KIP-429
 * cooperative rebalancing):
 *
 * - **Join**: JoinGroup (retrying with the member id the coordinator requires, KIP-394), then, on the leader, the
 *   chosen assignor runs over every member's subscription and the metadata of their topics; SyncGroup hands each
 *   member its assignment.
 * - **Eager** rebalancing (any configured assignor supports only eager, as `range` does) revokes every partition
 *   before joining. **Cooperative** rebalancing keeps the partitions during the rebalance, revokes only the ones
 *   that move after SyncGroup, and rejoins at once so that they can be handed to their new owner.
 * - **Heartbeats** run from their own timer (see {@link HeartbeatTimer}); a heartbeat saying the group rebalances
 *   starts a rejoin, one saying the generation is gone makes the partitions lost.
 * - **Leader** duties: remembers the partition counts it assigned and rejoins when metadata changes them.
 */
export class ClassicGroupMember implements GroupMember {
  private readonly options: ClassicGroupMemberOptions;
  private readonly coordinator: CoordinatorClient;
  private readonly host: ClassicGroupHost;
  private readonly protocol: RebalanceProtocol;
  private readonly heartbeat: HeartbeatTimer;
  private memberId = '';
  private generationId = -1;
  private protocolName: string | null = null;
  /** Generation of the last assignment received (sent in the subscription, KIP-792). */
  private assignedGeneration = -1;
  private currentState: GroupMemberState = 'idle';
  private fatal: KafkaError | undefined;
  private rejoinRequested = false;
  private loopRunning = false;
  private wakeLoop: (() => void) | undefined;
  /** Leader only: partition count of every topic the assignment covered. */
  private assignedPartitionCounts: Map<string, number> | undefined;
  private readonly abort = new AbortController();
  /** Set by {@link leave}: the member is on its way out and never rejoins. */
  private leaving = false;

  constructor(options: ClassicGroupMemberOptions, coordinator: CoordinatorClient, host: ClassicGroupHost) {
    this.options = options;
    this.coordinator = coordinator;
    this.host = host;
    this.protocol = commonProtocol(options.assignors);
    this.heartbeat = new HeartbeatTimer(options.heartbeatIntervalMs, () => this.sendHeartbeat());
  }

  get state(): GroupMemberState {
    return this.currentState;
  }

  get fatalError(): KafkaError | undefined {
    return this.fatal;
  }

  /** The member id the coordinator gave, or ''. */
  get id(): string {
    return this.memberId;
  }

  /** The rebalance protocol in use. */
  get rebalanceProtocol(): RebalanceProtocol {
    return this.protocol;
  }

  start(): void {
    if (this.currentState !== 'idle' && this.currentState !== 'left') return;
    this.currentState = 'joining';
    this.requestRejoin('joining the group');
  }

  subscriptionChanged(): void {
    if (this.currentState === 'stable' || this.currentState === 'joining') this.requestRejoin('subscription changed');
  }

  metadataChanged(): void {
    const counts = this.assignedPartitionCounts;
    if (counts === undefined || this.currentState !== 'stable') return;
    const topics = this.host.cluster.metadata.topics;
    for (const [topic, count] of counts) {
      const info = topics.get(topic);
      if (info === undefined) continue; // not in this snapshot (a partial refresh); nothing learned
      const now = info.errorCode === ErrorCodes.NONE ? info.partitions.length : 0;
      if (now !== count) {
        this.assignedPartitionCounts = undefined;
        this.requestRejoin(`partitions of ${topic} changed from ${count} to ${now}`);
        return;
      }
    }
  }

  generation(): GroupGeneration | undefined {
    if (this.generationId < 0 || this.memberId === '') return undefined;
    return {
      generationId: this.generationId,
      memberId: this.memberId,
      groupInstanceId: this.options.groupInstanceId ?? null,
    };
  }

  async pollTimeout(): Promise<void> {
    if (this.currentState !== 'stable' && this.currentState !== 'joining' && this.currentState !== 'reconciling') {
      return;
    }
    const { maxPollMessage } = this;
    this.options.logger.warn(maxPollMessage, { groupId: this.options.groupId, memberId: this.memberId });
    this.heartbeat.stop();
    this.currentState = 'left';
    this.rejoinRequested = false;
    this.generationId = -1;
    // Lost outside a JoinGroup round: traced on its own (vltava:rebalance, `lost`).
    const owned = this.host.handler.owned();
    if (owned.length > 0) await traceRebalance(this.host.handler, this.traced(), () => this.host.handler.lose(owned));
    await this.sendLeave('consumer poll timeout has expired');
    this.host.raise(new MaxPollIntervalExceededError(maxPollMessage, { groupId: this.options.groupId }));
  }

  async leave(reason: string): Promise<void> {
    const wasMember = this.active || this.currentState === 'left';
    // Heartbeats go on while the partitions are revoked (listeners may take a while); nothing rejoins meanwhile.
    this.leaving = true;
    this.rejoinRequested = false;
    this.wakeLoop?.();
    const owned = this.host.handler.owned();
    if (owned.length > 0) {
      // Leaving hands the partitions back (revoked), or, without a valid generation, loses them: traced on its own.
      await traceRebalance(this.host.handler, this.traced(), async () => {
        if (this.generation() !== undefined) await this.host.handler.revoke(owned, false);
        else await this.host.handler.lose(owned);
      });
    }
    this.heartbeat.stop();
    this.currentState = 'closed';
    if (wasMember) await this.sendLeave(reason);
    this.generationId = -1;
  }

  close(): void {
    this.currentState = 'closed';
    this.heartbeat.stop();
    this.abort.abort();
    this.wakeLoop?.();
  }

  private get maxPollMessage(): string {
    return (
      'The application did not ask for records within maxPollIntervalMs, so the consumer left its group and its ' +
      'partitions were reassigned. Process records faster, lower maxPollRecords or raise maxPollIntervalMs; the ' +
      'next read rejoins the group'
    );
  }

  private requestRejoin(reason: string): void {
    if (
      this.leaving ||
      this.currentState === 'closed' ||
      this.currentState === 'fatal' ||
      this.currentState === 'left'
    ) {
      return;
    }
    this.options.logger.debug('rejoining group', { groupId: this.options.groupId, reason });
    this.rejoinRequested = true;
    if (this.wakeLoop !== undefined) this.wakeLoop();
    else if (!this.loopRunning) void this.runLoop();
  }

  private get active(): boolean {
    return (
      !this.leaving &&
      (this.currentState === 'joining' || this.currentState === 'reconciling' || this.currentState === 'stable')
    );
  }

  private async runLoop(): Promise<void> {
    this.loopRunning = true;
    let failures = 0;
    try {
      while (this.active) {
        if (!this.rejoinRequested) {
          await new Promise<void>((resolve) => {
            this.wakeLoop = resolve;
          });
          this.wakeLoop = undefined;
          continue;
        }
        this.rejoinRequested = false;
        try {
          await traceRebalance(this.host.handler, this.traced(), () => this.joinAndSync());
          failures = 0;
        } catch (error) {
          if (!this.active) break;
          const failure = toKafkaError(error, { groupId: this.options.groupId, during: 'joining the group' });
          if (failure instanceof GroupMembershipError || failure.recovery === 'fail-client') {
            this.becomeFatal(failure);
            break;
          }
          if (failure.recovery === 'fail-call') {
            // Not authorized for the group or a topic, a feature the broker lacks: retrying cannot help. The reader
            // gets the error now; the member stops until the next read tries again (as Java's next poll() does).
            this.stopAfter(failure);
            break;
          }
          this.options.logger.warn('joining the group failed; retrying', {
            groupId: this.options.groupId,
            error: failure,
          });
          this.rejoinRequested = true;
          await delay(this.options.retryDelay(failures++), this.abort.signal).catch(() => undefined);
        }
      }
    } finally {
      this.loopRunning = false;
    }
  }

  /** Stops after an error the application must see; the next read (`start`) joins again. */
  private stopAfter(error: KafkaError): void {
    this.heartbeat.stop();
    this.currentState = 'left';
    this.rejoinRequested = false;
    this.options.logger.debug('group membership stopped by an error raised to the reader', {
      groupId: this.options.groupId,
      error,
    });
    this.host.raise(error);
  }

  private becomeFatal(error: KafkaError): void {
    this.fatal = error;
    this.currentState = 'fatal';
    this.heartbeat.stop();
    this.host.raise(error);
  }

  /** This member for the `vltava:rebalance` channel. */
  private traced(): RebalancingMember {
    return {
      protocol: 'classic',
      groupId: this.options.groupId,
      memberId: this.memberId,
      generation: () => this.generationId,
    };
  }

  /** One rebalance: prepare, JoinGroup, assign (leader), SyncGroup, apply. */
  private async joinAndSync(): Promise<void> {
    const handler = this.host.handler;
    // Prepare (Java: onJoinPrepare). Heartbeats go on meanwhile: the application may take a while to hand back
    // the records it holds, and the old generation is valid until we join again.
    const owned = handler.owned();
    if (owned.length > 0) {
      if (this.generation() === undefined) await handler.lose(owned);
      else if (this.protocol === 'eager') await handler.revoke(owned);
    }
    this.heartbeat.stop();
    if (!this.active) return;
    this.currentState = 'joining';
    const join = await this.joinGroup();
    if (join === undefined || !this.active) return;
    const assignments = join.leader ? await this.assign(join.members) : [];
    if (!this.active) return;
    const sync = await this.coordinator.send(
      SyncGroup,
      {
        groupId: this.options.groupId,
        generationId: this.generationId,
        memberId: this.memberId,
        groupInstanceId: this.options.groupInstanceId ?? null,
        protocolType: CONSUMER_PROTOCOL_TYPE,
        protocolName: this.protocolName,
        assignments,
      },
      { timeoutMs: this.joinTimeoutMs },
    );
    if (!this.active) return;
    if (sync.errorCode !== ErrorCodes.NONE) {
      this.onGroupError(sync.errorCode, 'SyncGroup');
      return;
    }
    const assignment = decodeAssignment(sync.assignment);
    this.currentState = 'reconciling';
    this.heartbeat.start();
    const assigned = new Map(assignment.partitions.map((tp) => [partitionKey(tp.topic, tp.partition), tp]));
    const current = handler.owned();
    const revoked = current.filter((tp) => !assigned.has(partitionKey(tp.topic, tp.partition)));
    const currentKeys = new Set(current.map((tp) => partitionKey(tp.topic, tp.partition)));
    const added = [...assigned.values()].filter((tp) => !currentKeys.has(partitionKey(tp.topic, tp.partition)));
    if (revoked.length > 0) {
      await handler.revoke(revoked);
      // KIP-429: the revoked partitions can only move to their new owner in a further rebalance.
      if (this.protocol === 'cooperative') this.requestRejoin('partitions were revoked in a cooperative rebalance');
    }
    await handler.assign(added);
    const chosen = this.options.assignors.find((a) => a.name === this.protocolName);
    chosen?.onAssignment?.({ partitions: assignment.partitions, userData: assignment.userData }, this.generationId);
    this.assignedGeneration = this.generationId;
    if (this.currentState === 'reconciling') this.currentState = 'stable';
  }

  private get joinTimeoutMs(): number {
    return Math.max(this.options.requestTimeoutMs, this.options.rebalanceTimeoutMs + 5000);
  }

  /** JoinGroup until the coordinator accepts; `undefined` when a rejoin is already needed. */
  private async joinGroup(): Promise<
    | {
        leader: boolean;
        members: ReadonlyArray<{ memberId: string; groupInstanceId: string | null; metadata: Buffer }>;
      }
    | undefined
  > {
    const topics = [...this.host.subscribedTopics()].sort();
    const owned = this.protocol === 'cooperative' ? this.host.handler.owned() : [];
    for (let attempt = 0; ; attempt++) {
      const protocols = this.options.assignors.map((assignor) => ({
        name: assignor.name,
        metadata: encodeSubscription({
          topics,
          userData: assignor.subscriptionUserData?.(topics, owned, this.assignedGeneration) ?? null,
          ownedPartitions: owned,
          generationId: this.assignedGeneration,
          rackId: this.options.clientRack ?? null,
        }),
      }));
      const response = await this.coordinator.send(
        JoinGroup,
        {
          groupId: this.options.groupId,
          sessionTimeoutMs: this.options.sessionTimeoutMs,
          rebalanceTimeoutMs: this.options.rebalanceTimeoutMs,
          memberId: this.memberId,
          groupInstanceId: this.options.groupInstanceId ?? null,
          protocolType: CONSUMER_PROTOCOL_TYPE,
          protocols,
          reason: attempt === 0 ? 'joining' : 'rejoining after an error',
        },
        { timeoutMs: this.joinTimeoutMs },
      );
      if (!this.active) return undefined;
      const code = response.errorCode;
      if (code === ErrorCodes.NONE) {
        this.memberId = response.memberId;
        this.generationId = response.generationId;
        this.protocolName = response.protocolName;
        this.options.logger.info('joined group', {
          groupId: this.options.groupId,
          memberId: this.memberId,
          generationId: this.generationId,
          protocol: this.protocolName,
          leader: response.leader === this.memberId,
        });
        return { leader: response.leader === this.memberId && !response.skipAssignment, members: response.members };
      }
      if (code === ErrorCodes.MEMBER_ID_REQUIRED) {
        // KIP-394: the coordinator assigned an id; join again with it.
        this.memberId = response.memberId;
        continue;
      }
      if (code === ErrorCodes.UNKNOWN_MEMBER_ID) {
        this.memberId = '';
        continue;
      }
      this.onGroupError(code, 'JoinGroup');
      throw createBrokerError(code, { groupId: this.options.groupId, api: 'JoinGroup' });
    }
  }

  /** Leader: runs the chosen assignor and encodes every member's assignment. */
  private async assign(
    members: ReadonlyArray<{ memberId: string; groupInstanceId: string | null; metadata: Buffer }>,
  ): Promise<Array<{ memberId: string; assignment: Buffer }>> {
    const assignor = this.options.assignors.find((a) => a.name === this.protocolName);
    if (assignor === undefined) {
      throw new GroupMembershipError(
        `The coordinator chose assignor '${this.protocolName}', which this consumer does not have`,
        { groupId: this.options.groupId },
      );
    }
    const subscriptions: GroupMemberSubscription[] = members.map((member) => ({
      memberId: member.memberId,
      groupInstanceId: member.groupInstanceId,
      ...decodeSubscription(member.metadata),
    }));
    const allTopics = new Set<string>();
    for (const member of subscriptions) for (const topic of member.topics) allTopics.add(topic);
    const snapshot = await this.host.cluster.refreshMetadata({ topics: allTopics });
    const topics = new Map<string, TopicPartitionInfo[]>();
    const counts = new Map<string, number>();
    for (const topic of allTopics) {
      const info = snapshot.topics.get(topic);
      const partitions = info !== undefined && info.errorCode === ErrorCodes.NONE ? info.partitions : [];
      counts.set(topic, partitions.length);
      if (partitions.length === 0) continue;
      topics.set(
        topic,
        partitions.map((p) => ({
          partition: p.partition,
          replicaRacks: p.replicas.flatMap((id) => {
            const rack = snapshot.brokers.get(id)?.rack;
            return rack === undefined || rack === null ? [] : [rack];
          }),
        })),
      );
    }
    const result = await assignor.assign(subscriptions, topics);
    this.assignedPartitionCounts = counts;
    this.options.logger.info('assigned partitions as group leader', {
      groupId: this.options.groupId,
      assignor: assignor.name,
      members: subscriptions.length,
    });
    return subscriptions.map((member) => {
      const assignment: MemberAssignment = result.get(member.memberId) ?? { partitions: [] };
      return {
        memberId: member.memberId,
        assignment: encodeAssignment({ partitions: assignment.partitions, userData: assignment.userData ?? null }),
      };
    });
  }

  /** Reacts to a group error code of JoinGroup, SyncGroup or Heartbeat. */
  private onGroupError(code: number, api: string): void {
    const groupId = this.options.groupId;
    if (FATAL_JOIN_CODES.has(code)) {
      const cause = createBrokerError(code, { groupId, api });
      throw new GroupMembershipError(
        code === ErrorCodes.FENCED_INSTANCE_ID
          ? `Another consumer joined group ${groupId} with the same groupInstanceId '${this.options.groupInstanceId}'; ` +
              'this one was fenced. Give every instance its own groupInstanceId'
          : `${api} failed: ${cause.message}`,
        { groupId, cause, kafkaErrorName: cause.kafkaErrorName, kafkaErrorCode: code },
      );
    }
    if (isCoordinatorMoved(code)) {
      this.coordinator.forget();
      this.requestRejoin(`${api}: coordinator moved`);
      return;
    }
    if (isAuthorizationFailure(code)) throw createBrokerError(code, { groupId, api });
    if (code === ErrorCodes.UNKNOWN_MEMBER_ID) {
      this.memberId = '';
      this.generationId = -1;
    } else if (code === ErrorCodes.ILLEGAL_GENERATION) {
      this.generationId = -1;
    }
    this.requestRejoin(`${api} returned ${createBrokerError(code, { groupId }).kafkaErrorName ?? code}`);
  }

  private async sendHeartbeat(): Promise<void> {
    if (this.currentState !== 'stable' && this.currentState !== 'reconciling') {
      this.heartbeat.stop();
      return;
    }
    const generationId = this.generationId;
    let code: number;
    try {
      const response = await this.coordinator.send(Heartbeat, {
        groupId: this.options.groupId,
        generationId,
        memberId: this.memberId,
        groupInstanceId: this.options.groupInstanceId ?? null,
      });
      code = response.errorCode;
    } catch (error) {
      const failure = toKafkaError(error, { groupId: this.options.groupId, api: 'Heartbeat' });
      if (failure.recovery === 'fail-call' || failure.recovery === 'fail-client') {
        this.stopAfter(failure);
        return;
      }
      this.options.logger.debug('heartbeat failed', { groupId: this.options.groupId, error: failure });
      this.heartbeat.retrySoon(this.options.retryDelay(0));
      return;
    }
    if (code === ErrorCodes.NONE || generationId !== this.generationId) return;
    try {
      this.onGroupError(code, 'Heartbeat');
    } catch (error) {
      if (error instanceof GroupMembershipError) this.becomeFatal(error);
      else this.stopAfter(toKafkaError(error));
    }
  }

  private async sendLeave(reason: string): Promise<void> {
    if (this.options.groupInstanceId !== undefined || this.memberId === '') return; // static members keep their session
    try {
      const response = await this.coordinator.send(
        LeaveGroup,
        // v3+ (Kafka 2.4+) names members in a list, which lets the reason travel along.
        { groupId: this.options.groupId, members: [{ memberId: this.memberId, reason }] },
        { timeoutMs: this.options.requestTimeoutMs },
      );
      if (response.errorCode !== ErrorCodes.NONE) {
        this.options.logger.debug('LeaveGroup returned an error', { code: response.errorCode });
      }
    } catch (error) {
      this.options.logger.debug('LeaveGroup failed', { error: String(error) });
    }
    this.memberId = '';
  }
}

/** The rebalance protocol every configured assignor supports, the most capable one (as Java picks it). */
function commonProtocol(assignors: readonly PartitionAssignor[]): RebalanceProtocol {
  return assignors.every((a) => a.supportedProtocols.includes('cooperative')) ? 'cooperative' : 'eager';
}
