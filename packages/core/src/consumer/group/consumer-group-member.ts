import { randomBytes } from 'node:crypto';
import { toKafkaError, UnsupportedVersionError } from '../../errors/client-errors.js';
import { isAuthorizationFailure, isCoordinatorMoved } from '../../errors/error-classification.js';
import { ErrorCodes } from '../../errors/error-codes.generated.js';
import { createBrokerError } from '../../errors/index.js';
import type { KafkaError } from '../../errors/kafka-error.js';
import type {
  ConsumerGroupHeartbeatRequest,
  ConsumerGroupHeartbeatResponse,
} from '../../protocol/messages/generated/consumer-group-heartbeat.js';
import { ZERO_UUID } from '../../protocol/primitives/uuid.js';
import type { Logger } from '../../utils/logger.js';
import { partitionKey, type TopicPartition } from '../../vocabulary/topic-partition.js';
import type { MetadataView } from '../cluster-view.js';
import { GroupMembershipError, MaxPollIntervalExceededError } from '../consumer-errors.js';
import type { GroupGeneration } from '../offset-committer.js';
import type { GroupMember, GroupMemberState } from './group-member.js';
import { HeartbeatTimer } from './heartbeat.js';
import type { RebalanceHandler } from './rebalance-handler.js';
import { type RebalancingMember, traceRebalance } from './rebalance-trace.js';

/** Settings of a KIP-848 group member. */
export interface ConsumerGroupMemberOptions {
  readonly groupId: string;
  readonly groupInstanceId: string | undefined;
  readonly rebalanceTimeoutMs: number;
  readonly clientRack: string | undefined;
  /** Server-side assignor to ask for, or undefined for the broker's default. */
  readonly serverAssignor: string | undefined;
  readonly requestTimeoutMs: number;
  readonly logger: Logger;
  readonly retryDelay: (attempt: number) => number;
}

/** What the member needs from the consumer besides the coordinator transport. */
export interface ConsumerGroupHost {
  /** Metadata: topic ids of the assignment, resolved to names. */
  readonly cluster: MetadataView;
  readonly handler: RebalanceHandler;
  /** Topics this member subscribes to. */
  subscribedTopics(): readonly string[];
  /** Raises an error to the application at its next read. */
  raise(error: KafkaError): void;
}

/** The transport of ConsumerGroupHeartbeat (the coordinator client; a fake in unit tests). */
export interface HeartbeatTransport {
  send(request: ConsumerGroupHeartbeatRequest): Promise<ConsumerGroupHeartbeatResponse>;
  /** Checks a response code and forgets the coordinator when it moved. */
  coordinatorMoved(errorCode: number): boolean;
}

/** Epoch to join with. */
const JOIN_EPOCH = 0;
/** Epoch of a dynamic member leaving. */
const LEAVE_EPOCH = -1;
/** Epoch of a static member leaving for a while (it keeps its assignment until its session expires). */
const STATIC_LEAVE_EPOCH = -2;

const FATAL_CODES = new Set<number>([
  ErrorCodes.UNRELEASED_INSTANCE_ID,
  ErrorCodes.FENCED_INSTANCE_ID,
  ErrorCodes.GROUP_MAX_SIZE_REACHED,
  ErrorCodes.UNSUPPORTED_ASSIGNOR,
  ErrorCodes.INVALID_REQUEST,
  ErrorCodes.GROUP_AUTHORIZATION_FAILED,
  ErrorCodes.TOPIC_AUTHORIZATION_FAILED,
  ErrorCodes.UNSUPPORTED_VERSION,
  ErrorCodes.INVALID_REGULAR_EXPRESSION,
  ErrorCodes.INCONSISTENT_GROUP_PROTOCOL,
  ErrorCodes.GROUP_ID_NOT_FOUND,
]);

/**
 * A member of a consumer group under the KIP-848 consumer protocol: the coordinator computes assignments with a
 * server-side assignor and hands each member its target through ConsumerGroupHeartbeat; the member reconciles.
 *
 * - **Join** with epoch 0 and a member id of its own (KIP-1082), then heartbeat at the interval the coordinator
 *   gives, on a timer of its own.
 * - **Reconcile** a new target assignment (topic ids, resolved to names through metadata): revoke what is no longer
 *   assigned (commit, `onPartitionsRevoked`), then add what is new (`onPartitionsAssigned`), then acknowledge with
 *   a heartbeat at once listing the partitions now owned. A target that changes meanwhile is reconciled next.
 *   Topic ids not yet in metadata are resolved after a refresh; their partitions wait.
 * - **Fenced** (FENCED_MEMBER_EPOCH, UNKNOWN_MEMBER_ID): partitions are lost, the member rejoins with epoch 0.
 * - **Leave** with epoch -1, or -2 for a static member, which keeps its assignment for a restart within the
 *   session timeout.
 */
export class ConsumerGroupMember implements GroupMember {
  private readonly options: ConsumerGroupMemberOptions;
  private readonly transport: HeartbeatTransport;
  private readonly host: ConsumerGroupHost;
  private readonly heartbeat: HeartbeatTimer;
  /** The member id, generated once for the consumer's lifetime (KIP-1082). */
  readonly memberId: string;
  private memberEpoch = JOIN_EPOCH;
  private currentState: GroupMemberState = 'idle';
  private fatal: KafkaError | undefined;
  /** Latest target assignment: topic id -> partitions. */
  private target: Map<string, number[]> | undefined;
  private reconciling = false;
  private reconcileAgain = false;
  private failures = 0;
  /** Target assignments received (and reconciled). */
  assignmentsReceived = 0;
  /** Set by {@link leave}: assignments are no longer reconciled. */
  private leaving = false;
  /** Topic ids of the target that metadata could not name at the last reconciliation. */
  private unresolved = new Set<string>();

  constructor(options: ConsumerGroupMemberOptions, transport: HeartbeatTransport, host: ConsumerGroupHost) {
    this.options = options;
    this.transport = transport;
    this.host = host;
    this.memberId = randomBytes(16).toString('base64url');
    this.heartbeat = new HeartbeatTimer(3000, () => this.sendHeartbeat());
  }

  get state(): GroupMemberState {
    return this.currentState;
  }

  get fatalError(): KafkaError | undefined {
    return this.fatal;
  }

  /** The current member epoch. */
  get epoch(): number {
    return this.memberEpoch;
  }

  start(): void {
    if (this.currentState !== 'idle' && this.currentState !== 'left') return;
    this.currentState = 'joining';
    this.memberEpoch = JOIN_EPOCH;
    this.target = undefined;
    this.heartbeat.start(true);
  }

  subscriptionChanged(): void {
    if (this.isActive) this.heartbeat.beatNow();
  }

  metadataChanged(): void {
    if (!this.isActive || this.unresolved.size === 0) return;
    const names = this.host.cluster.metadata.topicNamesById;
    for (const id of this.unresolved) {
      if (names.has(id)) {
        void this.reconcile();
        return;
      }
    }
  }

  generation(): GroupGeneration | undefined {
    if (this.memberEpoch <= 0 || !(this.isActive || this.leaving)) return undefined;
    return {
      generationId: this.memberEpoch,
      memberId: this.memberId,
      groupInstanceId: this.options.groupInstanceId ?? null,
    };
  }

  async pollTimeout(): Promise<void> {
    if (!this.isActive) return;
    const message =
      'The application did not ask for records within maxPollIntervalMs, so the consumer left its group and its ' +
      'partitions were reassigned. Process records faster, lower maxPollRecords or raise maxPollIntervalMs; the ' +
      'next read rejoins the group';
    this.options.logger.warn(message, { groupId: this.options.groupId, memberId: this.memberId });
    this.heartbeat.stop();
    this.currentState = 'left';
    // Lost outside a reconciliation: traced on its own (vltava:rebalance, `lost`).
    const owned = this.host.handler.owned();
    if (owned.length > 0) await traceRebalance(this.host.handler, this.traced(), () => this.host.handler.lose(owned));
    await this.sendLeave();
    this.host.raise(new MaxPollIntervalExceededError(message, { groupId: this.options.groupId }));
  }

  /** This member, as a `vltava:rebalance` trace names it. */
  private traced(): RebalancingMember {
    return {
      protocol: 'consumer',
      groupId: this.options.groupId,
      memberId: this.memberId,
      generation: () => this.memberEpoch,
    };
  }

  async leave(_reason: string): Promise<void> {
    const wasActive = this.isActive;
    // Heartbeats go on while the partitions are revoked; new assignments are ignored from here on.
    this.leaving = true;
    const owned = this.host.handler.owned();
    if (owned.length > 0) {
      // Leaving hands the partitions back (revoked), or, fenced or never joined, loses them: traced on its own.
      await traceRebalance(this.host.handler, this.traced(), async () => {
        if (wasActive && this.memberEpoch > 0) await this.host.handler.revoke(owned, false);
        else await this.host.handler.lose(owned);
      });
    }
    this.heartbeat.stop();
    this.currentState = 'closed';
    if (wasActive) await this.sendLeave();
  }

  close(): void {
    this.currentState = 'closed';
    this.heartbeat.stop();
  }

  private get isActive(): boolean {
    return this.currentState === 'joining' || this.currentState === 'reconciling' || this.currentState === 'stable';
  }

  /** The heartbeat request: every field, every time (the coordinator accepts unchanged values). */
  private request(memberEpoch: number): ConsumerGroupHeartbeatRequest {
    const owned = this.ownedByTopicId();
    return {
      groupId: this.options.groupId,
      memberId: this.memberId,
      memberEpoch,
      instanceId: this.options.groupInstanceId ?? null,
      rackId: this.options.clientRack ?? null,
      rebalanceTimeoutMs: this.options.rebalanceTimeoutMs,
      subscribedTopicNames: [...this.host.subscribedTopics()].sort(),
      serverAssignor: this.options.serverAssignor ?? null,
      topicPartitions: owned,
    };
  }

  /** Owned partitions by topic id; partitions of topics whose id is unknown are left out. */
  private ownedByTopicId(): Array<{ topicId: string; partitions: number[] }> {
    const topics = this.host.cluster.metadata.topics;
    const byId = new Map<string, number[]>();
    for (const { topic, partition } of this.host.handler.owned()) {
      const id = topics.get(topic)?.topicId;
      if (id === undefined || id === ZERO_UUID) continue;
      let list = byId.get(id);
      if (list === undefined) {
        list = [];
        byId.set(id, list);
      }
      list.push(partition);
    }
    return [...byId].map(([topicId, partitions]) => ({ topicId, partitions }));
  }

  private async sendHeartbeat(): Promise<void> {
    if (!this.isActive) return;
    const epoch = this.memberEpoch;
    let response: ConsumerGroupHeartbeatResponse;
    try {
      response = await this.transport.send(this.request(epoch));
    } catch (error) {
      const failure = toKafkaError(error, { groupId: this.options.groupId, api: 'ConsumerGroupHeartbeat' });
      if (failure.recovery === 'fail-call' || failure.recovery === 'fail-client') {
        // The broker lacks the API (UnsupportedVersionError raised before sending), the group or a topic is not
        // authorized, TLS or SASL refused: retrying cannot help.
        this.onFailure(failure);
        return;
      }
      this.options.logger.debug('consumer group heartbeat failed', { groupId: this.options.groupId, error: failure });
      this.heartbeat.retrySoon(this.options.retryDelay(this.failures++));
      return;
    }
    if (!this.isActive) return;
    const code = response.errorCode;
    if (code !== ErrorCodes.NONE) {
      this.onError(code, response.errorMessage);
      return;
    }
    this.failures = 0;
    this.memberEpoch = response.memberEpoch;
    this.heartbeat.setInterval(response.heartbeatIntervalMs);
    if (this.currentState === 'joining') this.currentState = 'stable';
    if (response.assignment !== null && !this.leaving) {
      this.assignmentsReceived++;
      this.target = new Map(response.assignment.topicPartitions.map((t) => [t.topicId, t.partitions]));
      void this.reconcile();
    }
  }

  private onError(code: number, serverMessage: string | null): void {
    const groupId = this.options.groupId;
    if (isCoordinatorMoved(code)) {
      this.transport.coordinatorMoved(code);
      this.heartbeat.retrySoon(this.options.retryDelay(this.failures++));
      return;
    }
    if (code === ErrorCodes.FENCED_MEMBER_EPOCH || code === ErrorCodes.UNKNOWN_MEMBER_ID) {
      this.options.logger.warn('fenced from the consumer group; partitions are lost, rejoining', {
        groupId,
        code,
      });
      this.memberEpoch = JOIN_EPOCH;
      this.target = undefined;
      this.currentState = 'joining';
      void traceRebalance(this.host.handler, this.traced(), () =>
        this.host.handler.lose(this.host.handler.owned()),
      ).then(() => this.heartbeat.beatNow());
      return;
    }
    const cause = createBrokerError(code, { groupId, api: 'ConsumerGroupHeartbeat', serverMessage });
    if (FATAL_CODES.has(code) || !cause.retriable) {
      this.onFailure(cause);
      return;
    }
    this.heartbeat.retrySoon(this.options.retryDelay(this.failures++));
  }

  /**
   * An error retrying cannot fix, raised to the reader at once:
   * - authorization failures stop the member until the next read tries again (as Java's next `poll()` does);
   * - a broker without KIP-848 is an `UnsupportedVersionError` that names the feature and the brokers that have it;
   * - anything else (another member holds the static id, the group is full, an unknown assignor) is a
   *   `GroupMembershipError` and the member stays down.
   */
  private onFailure(cause: KafkaError): void {
    const groupId = this.options.groupId;
    const code = cause.kafkaErrorCode;
    this.heartbeat.stop();
    if (code !== undefined && isAuthorizationFailure(code)) {
      this.currentState = 'left';
      this.host.raise(cause);
      return;
    }
    let error: KafkaError;
    if (code === ErrorCodes.UNSUPPORTED_VERSION) {
      error = new UnsupportedVersionError(
        `The broker does not support consumer groups of the KIP-848 protocol (groupProtocol 'consumer', ` +
          `ConsumerGroupHeartbeat): they need Apache Kafka 4.0 or newer (3.7-3.9 only with the early-access ` +
          `setting group.coordinator.rebalance.protocols=classic,consumer). Use groupProtocol 'classic' with this broker`,
        { groupId, cause, ...(cause.broker === undefined ? {} : { broker: cause.broker }) },
      );
    } else if (
      cause.recovery === 'fail-client' &&
      !(code === ErrorCodes.UNRELEASED_INSTANCE_ID || code === ErrorCodes.FENCED_INSTANCE_ID)
    ) {
      error = cause; // TLS or SASL refused: the connection's own error says what to do
    } else {
      error = new GroupMembershipError(
        code === ErrorCodes.UNRELEASED_INSTANCE_ID || code === ErrorCodes.FENCED_INSTANCE_ID
          ? `Another member of group ${groupId} holds groupInstanceId '${this.options.groupInstanceId}': ${cause.message}`
          : `ConsumerGroupHeartbeat failed: ${cause.message}`,
        {
          groupId,
          cause,
          ...(code === undefined ? {} : { kafkaErrorName: cause.kafkaErrorName, kafkaErrorCode: code }),
        },
      );
    }
    this.fatal = error;
    this.currentState = 'fatal';
    this.host.raise(error);
  }

  private hasUnresolvedTarget(): boolean {
    const names = this.host.cluster.metadata.topicNamesById;
    for (const id of this.target?.keys() ?? []) if (!names.has(id)) return true;
    return false;
  }

  /** Brings the owned partitions to the target: revoke first, then assign, then acknowledge. */
  private async reconcile(): Promise<void> {
    if (this.reconciling) {
      this.reconcileAgain = true;
      return;
    }
    this.reconciling = true;
    try {
      do {
        this.reconcileAgain = false;
        const target = this.target;
        if (target === undefined || !this.isActive || this.leaving) break;
        if (this.hasUnresolvedTarget()) {
          await this.host.cluster.refreshMetadata({ topics: this.host.subscribedTopics() }).catch(() => undefined);
        }
        const names = this.host.cluster.metadata.topicNamesById;
        const wanted = new Map<string, TopicPartition>();
        this.unresolved = new Set();
        for (const [id, partitions] of target) {
          const topic = names.get(id);
          if (topic === undefined) {
            this.unresolved.add(id);
            continue;
          }
          for (const partition of partitions) wanted.set(partitionKey(topic, partition), { topic, partition });
        }
        const owned = this.host.handler.owned();
        const ownedKeys = new Set(owned.map((tp) => partitionKey(tp.topic, tp.partition)));
        const revoked = owned.filter((tp) => !wanted.has(partitionKey(tp.topic, tp.partition)));
        const added = [...wanted].filter(([key]) => !ownedKeys.has(key)).map(([, tp]) => tp);
        if (revoked.length === 0 && added.length === 0) break;
        this.currentState = 'reconciling';
        await traceRebalance(this.host.handler, this.traced(), async () => {
          if (revoked.length > 0) await this.host.handler.revoke(revoked);
          if (this.isActive && added.length > 0) await this.host.handler.assign(added);
        });
        if (!this.isActive) break;
        this.currentState = 'stable';
        this.heartbeat.beatNow(); // acknowledge the reconciled assignment
      } while (this.reconcileAgain);
    } finally {
      this.reconciling = false;
      if (this.currentState === 'reconciling') this.currentState = 'stable';
    }
  }

  private async sendLeave(): Promise<void> {
    const epoch = this.options.groupInstanceId === undefined ? LEAVE_EPOCH : STATIC_LEAVE_EPOCH;
    try {
      const response = await this.transport.send({
        groupId: this.options.groupId,
        memberId: this.memberId,
        memberEpoch: epoch,
        instanceId: this.options.groupInstanceId ?? null,
      });
      if (response.errorCode !== ErrorCodes.NONE)
        this.options.logger.debug('leaving the group returned', { code: response.errorCode });
    } catch (error) {
      this.options.logger.debug('leaving the group failed', { error: String(error) });
    }
    this.memberEpoch = JOIN_EPOCH;
  }
}
