import { randomBytes } from 'node:crypto';
import { createBrokerError } from '../../errors/broker-error-factory.js';
import { isCoordinatorMoved } from '../../errors/error-classification.js';
import { ErrorCodes } from '../../errors/error-codes.generated.js';
import type { KafkaError } from '../../errors/kafka-error.js';
import type {
  ShareGroupHeartbeatRequest,
  ShareGroupHeartbeatResponse,
} from '../../protocol/messages/generated/share-group-heartbeat.js';
import type { Logger } from '../../utils/logger.js';
import { GroupMembershipError } from '../consumer-errors.js';
import { HeartbeatTimer } from '../group/heartbeat.js';
import { ShareGroupsUnavailableError } from './share-errors.js';

/** The states of a share group member, as metrics report them. */
export type ShareMemberState = 'idle' | 'joining' | 'stable' | 'fatal' | 'closed';

/** The transport of ShareGroupHeartbeat: the group coordinator (a fake in unit tests). */
export interface ShareHeartbeatTransport {
  /** Sends a heartbeat to the group's coordinator. Rejects with the transport error. */
  send(request: ShareGroupHeartbeatRequest): Promise<ShareGroupHeartbeatResponse>;
  /** The coordinator moved or is loading: forget it, so that the next request looks it up again. */
  coordinatorMoved(): void;
}

/** What the member tells the share consumer. */
export interface ShareMemberHost {
  /** The topics the member subscribes to (sorted). */
  subscribedTopics(): readonly string[];
  /**
   * The coordinator assigned partitions (topic id -> partition indexes); replaces the previous assignment. `lost`
   * when the member was fenced: the partitions it had were taken away, not handed back.
   */
  assignmentChanged(assignment: ReadonlyMap<string, readonly number[]>, lost?: boolean): void;
  /** A fatal error the application must see. */
  raise(error: KafkaError): void;
}

/** Settings of a share group member. */
export interface ShareMemberOptions {
  readonly groupId: string;
  readonly clientRack: string | undefined;
  readonly logger: Logger;
  readonly retryDelay: (attempt: number) => number;
}

/** Epoch to join with. */
const JOIN_EPOCH = 0;
/** Epoch of a member leaving the group. */
const LEAVE_EPOCH = -1;

/** Heartbeat errors after which the member cannot go on. */
const FATAL_CODES: ReadonlySet<number> = new Set<number>([
  ErrorCodes.GROUP_AUTHORIZATION_FAILED,
  ErrorCodes.TOPIC_AUTHORIZATION_FAILED,
  ErrorCodes.GROUP_MAX_SIZE_REACHED,
  ErrorCodes.INVALID_REQUEST,
  ErrorCodes.UNSUPPORTED_VERSION,
  ErrorCodes.INCONSISTENT_GROUP_PROTOCOL,
  ErrorCodes.GROUP_ID_NOT_FOUND,
]);

/**
 * A member of a share group (KIP-932): joins with ShareGroupHeartbeat and follows the assignment the coordinator
 * computes. Unlike a consumer group there is nothing to reconcile: several members may read one partition, so an
 * assignment takes effect at once (no revocation round, no acknowledgement of owned partitions), and a member
 * only tells the coordinator what it subscribes to.
 *
 * - **Join** with epoch 0 and a member id of its own (a UUID kept for the consumer's lifetime), the subscribed
 *   topics and the rack; then heartbeat at the interval the coordinator gives, on a timer of its own. The
 *   subscribed topics are sent again only when they change.
 * - **Fenced** (FENCED_MEMBER_EPOCH, UNKNOWN_MEMBER_ID): the member rejoins with epoch 0.
 * - **Coordinator moved** (NOT_COORDINATOR and friends, or a broken connection): look it up again and retry.
 * - **Fatal** (authorization, group full, a group id used by another group type, a broker without share groups):
 *   raised once; the member stops.
 * - **Leave** with epoch -1: the coordinator reassigns at once, and the broker releases what the member held.
 */
export class ShareGroupMember {
  private readonly options: ShareMemberOptions;
  private readonly transport: ShareHeartbeatTransport;
  private readonly host: ShareMemberHost;
  private readonly heartbeat: HeartbeatTimer;
  /** The member id: generated once for the consumer's lifetime. */
  readonly memberId: string;
  private memberEpoch = JOIN_EPOCH;
  private currentState: ShareMemberState = 'idle';
  private fatal: KafkaError | undefined;
  private failures = 0;
  /** The subscription the coordinator last acknowledged, to send it only when it changes. */
  private sentTopics: string | undefined;
  /** Assignments received. */
  assignmentsReceived = 0;

  constructor(options: ShareMemberOptions, transport: ShareHeartbeatTransport, host: ShareMemberHost) {
    this.options = options;
    this.transport = transport;
    this.host = host;
    this.memberId = randomBytes(16).toString('base64url');
    this.heartbeat = new HeartbeatTimer(1000, () => this.sendHeartbeat());
  }

  /** Current state. */
  get state(): ShareMemberState {
    return this.currentState;
  }

  /** The member epoch (0 before joining). */
  get epoch(): number {
    return this.memberEpoch;
  }

  /** The fatal error that stopped the member, if any. */
  get fatalError(): KafkaError | undefined {
    return this.fatal;
  }

  /** Joins the group (idempotent). */
  start(): void {
    if (this.currentState !== 'idle') return;
    this.currentState = 'joining';
    this.memberEpoch = JOIN_EPOCH;
    this.sentTopics = undefined;
    this.heartbeat.start(true);
  }

  /** The subscription changed: tell the coordinator at once. */
  subscriptionChanged(): void {
    if (this.isActive) this.heartbeat.beatNow();
  }

  /**
   * Leaves the group (epoch -1); failures are logged. Stops heartbeating; {@link start} joins again (with a new
   * epoch, the same member id).
   */
  async leave(): Promise<void> {
    const wasActive = this.isActive;
    this.heartbeat.stop();
    if (this.currentState !== 'fatal') this.currentState = 'idle';
    if (!wasActive) return;
    try {
      const response = await this.transport.send({
        groupId: this.options.groupId,
        memberId: this.memberId,
        memberEpoch: LEAVE_EPOCH,
      });
      if (response.errorCode !== ErrorCodes.NONE) {
        this.options.logger.debug('leaving the share group returned an error', { code: response.errorCode });
      }
    } catch (error) {
      this.options.logger.debug('leaving the share group failed', { error: String(error) });
    }
    this.memberEpoch = JOIN_EPOCH;
  }

  /** Stops heartbeating without leaving (the session expires on the coordinator). */
  close(): void {
    this.currentState = 'closed';
    this.heartbeat.stop();
  }

  private get isActive(): boolean {
    return this.currentState === 'joining' || this.currentState === 'stable';
  }

  private request(): ShareGroupHeartbeatRequest {
    const topics = [...this.host.subscribedTopics()].sort();
    const joining = this.memberEpoch === JOIN_EPOCH;
    const changed = joining || topics.join('\u0000') !== this.sentTopics;
    return {
      groupId: this.options.groupId,
      memberId: this.memberId,
      memberEpoch: this.memberEpoch,
      rackId: joining ? (this.options.clientRack ?? null) : null,
      subscribedTopicNames: changed ? topics : null,
    };
  }

  private async sendHeartbeat(): Promise<void> {
    if (!this.isActive) return;
    const request = this.request();
    let response: ShareGroupHeartbeatResponse;
    try {
      response = await this.transport.send(request);
    } catch (error) {
      if (error instanceof ShareGroupsUnavailableError) {
        this.stop(error);
        return;
      }
      this.options.logger.debug('share group heartbeat failed', {
        groupId: this.options.groupId,
        error: String(error),
      });
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
    if (request.subscribedTopicNames !== null && request.subscribedTopicNames !== undefined) {
      this.sentTopics = request.subscribedTopicNames.join('\u0000');
    }
    this.memberEpoch = response.memberEpoch;
    this.heartbeat.setInterval(response.heartbeatIntervalMs);
    if (this.currentState === 'joining') this.currentState = 'stable';
    if (response.assignment !== null) {
      this.assignmentsReceived++;
      this.host.assignmentChanged(new Map(response.assignment.topicPartitions.map((t) => [t.topicId, t.partitions])));
    }
  }

  private onError(code: number, serverMessage: string | null): void {
    const groupId = this.options.groupId;
    if (isCoordinatorMoved(code)) {
      this.transport.coordinatorMoved();
      this.heartbeat.retrySoon(this.options.retryDelay(this.failures++));
      return;
    }
    if (code === ErrorCodes.FENCED_MEMBER_EPOCH || code === ErrorCodes.UNKNOWN_MEMBER_ID) {
      this.options.logger.warn('fenced from the share group; rejoining', { groupId, code });
      this.memberEpoch = JOIN_EPOCH;
      this.currentState = 'joining';
      this.host.assignmentChanged(new Map(), true);
      this.heartbeat.beatNow();
      return;
    }
    const cause = createBrokerError(code, { groupId, api: 'ShareGroupHeartbeat', serverMessage });
    if (FATAL_CODES.has(code) || !cause.retriable) {
      const error =
        code === ErrorCodes.UNSUPPORTED_VERSION
          ? new ShareGroupsUnavailableError(
              'The group coordinator does not serve share groups: they need Apache Kafka 4.1 or newer with the ' +
                'share.version feature enabled (kafka-features upgrade --feature share.version=1)',
              { groupId, cause, kafkaErrorName: cause.kafkaErrorName, kafkaErrorCode: code },
            )
          : new GroupMembershipError(
              code === ErrorCodes.INCONSISTENT_GROUP_PROTOCOL || code === ErrorCodes.GROUP_ID_NOT_FOUND
                ? `Group ${groupId} exists and is not a share group (a consumer or streams group uses the id); ` +
                    `pick another groupId: ${cause.message}`
                : `ShareGroupHeartbeat failed: ${cause.message}`,
              { groupId, cause, kafkaErrorName: cause.kafkaErrorName, kafkaErrorCode: code },
            );
      this.stop(error);
      return;
    }
    this.heartbeat.retrySoon(this.options.retryDelay(this.failures++));
  }

  private stop(error: KafkaError): void {
    this.fatal = error;
    this.currentState = 'fatal';
    this.heartbeat.stop();
    this.host.raise(error);
  }
}
