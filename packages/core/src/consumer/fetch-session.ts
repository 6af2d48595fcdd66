import { ErrorCodes } from '../errors/error-codes.generated.js';
/** What a fetch asks for one partition. */
export interface SessionPartition {
  readonly topic: string;
  /** Topic id in Kafka's text form, or the zero UUID when unknown. */
  readonly topicId: string;
  readonly partition: number;
  readonly fetchOffset: bigint;
  readonly currentLeaderEpoch: number;
  readonly lastFetchedEpoch: number;
  readonly maxBytes: number;
}

/** The partition part of one Fetch request, as a session builds it. */
export interface SessionRequest {
  readonly sessionId: number;
  readonly sessionEpoch: number;
  /** True when this request lists every partition (a new session, or none). */
  readonly full: boolean;
  /** Partitions to send: all of them in a full request, only new or changed ones in an incremental one. */
  readonly toSend: readonly SessionPartition[];
  /** Partitions to drop from the session (incremental requests only). */
  readonly toForget: readonly SessionPartition[];
  /** Every partition the broker will fetch for this request, by `topic:partition`: how to read its response. */
  readonly partitions: ReadonlyMap<string, SessionPartition>;
}

/** Session epoch of a request that creates a new session (or has none). */
const INITIAL_EPOCH = 0;
/** Session epoch that closes the session named in the request and opens none (KIP-227). */
export const FINAL_EPOCH = -1;

/**
 * The client side of an incremental fetch session with one broker (KIP-227).
 *
 * The first request lists every partition and asks for a session (id 0, epoch 0). When the broker grants one,
 * later requests (epoch 1, 2, ...) list only partitions that are new or whose fetch parameters changed, and name
 * the partitions to forget; the broker fetches the others with the parameters it remembers, and answers only for
 * partitions with news. A partition that must not be fetched (paused, its buffer full, revoked) is forgotten,
 * so the broker never sends data the consumer would have to drop.
 *
 * An error about the session (FETCH_SESSION_ID_NOT_FOUND, INVALID_FETCH_SESSION_EPOCH) or a failed request
 * resets it: the next request is full again.
 */
export class FetchSession {
  private sessionId = 0;
  private epoch = INITIAL_EPOCH;
  /** What the broker's session holds, as last sent. */
  private sent = new Map<string, SessionPartition>();
  private pending: Map<string, SessionPartition> | undefined;
  /** Whether the session names topics by id (Fetch v13+); changing it starts a new session. */
  private byTopicId = false;
  /** Closed for good: a response still in flight is ignored. */
  private closed = false;

  /** The session id the broker gave, or 0. */
  get id(): number {
    return this.sessionId;
  }

  /**
   * Builds the partition part of the next request for the partitions to fetch now.
   *
   * @param next Partitions to fetch, with their current parameters.
   * @param byTopicId Whether the request names topics by id.
   */
  build(next: readonly SessionPartition[], byTopicId: boolean): SessionRequest {
    if (byTopicId !== this.byTopicId) {
      this.reset();
      this.byTopicId = byTopicId;
    }
    const nextMap = new Map<string, SessionPartition>();
    for (const p of next) nextMap.set(`${p.topic}:${p.partition}`, p);
    this.pending = nextMap;
    if (this.epoch === INITIAL_EPOCH || this.sessionId === 0) {
      return {
        sessionId: 0,
        sessionEpoch: INITIAL_EPOCH,
        full: true,
        toSend: next,
        toForget: [],
        partitions: nextMap,
      };
    }
    const toSend: SessionPartition[] = [];
    const toForget: SessionPartition[] = [];
    for (const [key, p] of nextMap) {
      const before = this.sent.get(key);
      if (
        before === undefined ||
        before.fetchOffset !== p.fetchOffset ||
        before.maxBytes !== p.maxBytes ||
        before.currentLeaderEpoch !== p.currentLeaderEpoch ||
        before.lastFetchedEpoch !== p.lastFetchedEpoch ||
        before.topicId !== p.topicId
      ) {
        toSend.push(p);
      }
    }
    for (const [key, p] of this.sent) if (!nextMap.has(key)) toForget.push(p);
    return { sessionId: this.sessionId, sessionEpoch: this.epoch, full: false, toSend, toForget, partitions: nextMap };
  }

  /**
   * Records the broker's answer to the request last built: the session it granted (or kept), or an error about
   * the session, which resets it. Returns true when the response's partitions can be used.
   */
  onResponse(errorCode: number, sessionId: number): boolean {
    const pending = this.pending;
    this.pending = undefined;
    if (this.closed) return false;
    if (errorCode === ErrorCodes.FETCH_SESSION_ID_NOT_FOUND || errorCode === ErrorCodes.INVALID_FETCH_SESSION_EPOCH) {
      this.reset();
      return false;
    }
    if (errorCode !== ErrorCodes.NONE) {
      this.reset();
      return false;
    }
    if (pending !== undefined) this.sent = pending;
    if (this.epoch === INITIAL_EPOCH || this.sessionId === 0) {
      // A full request: the broker may have created a session (id > 0), or declined (id 0: stay sessionless).
      this.sessionId = sessionId;
      this.epoch = sessionId === 0 ? INITIAL_EPOCH : 1;
    } else {
      this.epoch = this.epoch === 0x7fffffff ? 1 : this.epoch + 1;
    }
    return true;
  }

  /**
   * Ends the session on the client side and returns the id the broker knows it by, for a closing request
   * (epoch {@link FINAL_EPOCH}, no partitions); undefined when there is no session to close. A response to a
   * request still in flight is ignored afterwards.
   */
  close(): number | undefined {
    const id = this.sessionId;
    this.closed = true;
    this.pending = undefined;
    this.reset();
    return id === 0 ? undefined : id;
  }

  /** The request failed (timeout, broken connection): the broker's state is unknown, start a new session. */
  onFailure(): void {
    this.pending = undefined;
    this.reset();
  }

  /** Forgets the session; the next request is full. */
  reset(): void {
    this.sessionId = 0;
    this.epoch = INITIAL_EPOCH;
    this.sent = new Map();
  }
}
