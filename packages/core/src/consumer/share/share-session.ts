import { ErrorCodes } from '../../errors/error-codes.generated.js';

/** A partition in a share session: named by topic id on the wire. */
export interface SharePartitionRef {
  /** `topic:partition`. */
  readonly key: string;
  readonly topic: string;
  /** Topic id in Kafka's text form. */
  readonly topicId: string;
  readonly partition: number;
}

/** Epoch of a request that opens a share session (closing any the member had with the broker). */
export const INITIAL_SHARE_EPOCH = 0;
/** Epoch of a request that closes the share session (releasing what the member still holds). */
export const FINAL_SHARE_EPOCH = -1;

/** The partition part of the next ShareFetch, as the session builds it. */
export interface ShareSessionRequest {
  readonly epoch: number;
  /** Partitions new to the session (every partition when it is new). */
  readonly added: readonly SharePartitionRef[];
  /** Partitions to drop from the session. */
  readonly forgotten: readonly SharePartitionRef[];
}

/**
 * The client side of a share session with one broker (KIP-932), keyed on the broker by group and member id.
 *
 * The first ShareFetch opens it (epoch 0) and lists every partition to fetch; each later request, ShareFetch or
 * ShareAcknowledge, carries the next epoch (1, 2, ...), and a ShareFetch lists only the partitions added since
 * the last one and those to forget. ShareAcknowledge cannot open a session. The session ends with epoch -1, which
 * also releases the records the member still holds there.
 *
 * SHARE_SESSION_NOT_FOUND, INVALID_SHARE_SESSION_EPOCH, SHARE_SESSION_LIMIT_REACHED or a failed request (its fate
 * unknown) start a new session: the next ShareFetch has epoch 0, which makes the broker close the old one. Other
 * top-level errors still move to the next epoch, as the Java client does.
 */
export class ShareSession {
  private nextEpoch = INITIAL_SHARE_EPOCH;
  /** The partitions the broker's session holds, as of the last request answered. */
  private partitions = new Map<string, SharePartitionRef>();
  /** The partition set of the request in flight, applied when it is answered. */
  private pending: Map<string, SharePartitionRef> | undefined;

  /** The epoch the next request carries. */
  get epoch(): number {
    return this.nextEpoch;
  }

  /** True when the next request opens the session (no ShareAcknowledge possible). */
  get isNew(): boolean {
    return this.nextEpoch === INITIAL_SHARE_EPOCH;
  }

  /** The partitions in the broker's session. */
  get size(): number {
    return this.partitions.size;
  }

  /** Whether `key` is in the broker's session. */
  has(key: string): boolean {
    return this.partitions.has(key);
  }

  /** Builds the partition part of a ShareFetch for the partitions to fetch now. */
  buildFetch(next: ReadonlyMap<string, SharePartitionRef>): ShareSessionRequest {
    this.pending = new Map(next);
    if (this.isNew) return { epoch: INITIAL_SHARE_EPOCH, added: [...next.values()], forgotten: [] };
    const added: SharePartitionRef[] = [];
    const forgotten: SharePartitionRef[] = [];
    for (const [key, p] of next) {
      const before = this.partitions.get(key);
      if (before === undefined) added.push(p);
      else if (before.topicId !== p.topicId) {
        forgotten.push(before); // the topic was re-created: drop the old one, add the new one
        added.push(p);
      }
    }
    for (const [key, p] of this.partitions) if (!next.has(key)) forgotten.push(p);
    return { epoch: this.nextEpoch, added, forgotten };
  }

  /** A ShareAcknowledge goes out: it carries the current epoch and changes no partition. */
  buildAcknowledge(): number {
    this.pending = undefined;
    return this.nextEpoch;
  }

  /**
   * Records the top-level error code of the answer to the last request built. Returns true when the session goes
   * on (partition data can be read), false when it must start anew (or the request failed as a whole).
   */
  onResponse(errorCode: number): boolean {
    const pending = this.pending;
    this.pending = undefined;
    if (
      errorCode === ErrorCodes.SHARE_SESSION_NOT_FOUND ||
      errorCode === ErrorCodes.INVALID_SHARE_SESSION_EPOCH ||
      errorCode === ErrorCodes.SHARE_SESSION_LIMIT_REACHED
    ) {
      this.reset();
      return false;
    }
    this.advance();
    if (errorCode !== ErrorCodes.NONE) return false;
    if (pending !== undefined) this.partitions = pending;
    return true;
  }

  /** The request failed without an answer (timeout, broken connection): start a new session. */
  onFailure(): void {
    this.pending = undefined;
    this.reset();
  }

  /** Forgets the session; the next ShareFetch opens a new one. */
  reset(): void {
    this.nextEpoch = INITIAL_SHARE_EPOCH;
    this.partitions = new Map();
  }

  private advance(): void {
    this.nextEpoch = this.nextEpoch >= 0x7fffffff ? 1 : this.nextEpoch + 1;
  }
}
