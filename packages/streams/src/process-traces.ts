import {
  type ConsumerLike,
  type ConsumerProcessPayload,
  diagnosticChannels,
  InvalidGroupStateError,
  type TracedRecord,
} from '@vltava/core';
import { abandonProcess, endProcess, processPayload, processWith, type TraceIdentity } from '@vltava/core/internal';

/**
 * The open `vltava:consumer:process` traces of the records a read stream handed out, until each record's processing
 * ends where the streams know it: its source coordinates reach the committer of the same consumer
 * (`createCommitStream`, `createWebCommitStream`, `markProcessed`).
 *
 * Records handed out with no committer attached (a read stream read with `for await`, or piped into a stage that
 * commits nothing) have no later boundary than the next one: such a record's trace ends when the stream hands out
 * the next record, as a `for await` step of the consumer's own iterator does, or when the stream ends.
 *
 * Traces still open when the session closes (the stream was destroyed, the consumer closed) end with `abandoned`
 * set. Nothing here is allocated unless the process channel has a subscriber when a record is handed out.
 */
export class ProcessTraces {
  private readonly consumer: ConsumerLike<unknown, unknown>;
  /** Open traces of tracked records, by `topic:partition`, then offset. */
  private readonly open = new Map<string, Map<bigint, ConsumerProcessPayload>>();
  private count = 0;
  /** The open trace of the last record handed out with no committer attached. */
  private untracked: ConsumerProcessPayload | undefined;
  private identity: TraceIdentity | undefined;

  constructor(consumer: ConsumerLike<unknown, unknown>) {
    this.consumer = consumer;
  }

  /** Open traces of records that wait for the committer. */
  get size(): number {
    return this.count;
  }

  /** True when a handed-out record should be traced: check it before anything else. */
  static get wanted(): boolean {
    return diagnosticChannels.consumerProcess.hasSubscribers;
  }

  /**
   * Opens the trace of `record` and hands it on (`deliver(value)`) in it: the stages downstream that run
   * synchronously in `deliver` (a `Transform`, a send stream's `write`) run in the context a subscriber gave
   * (`runInContext`). `tracked` says whether a committer will see the record. Check {@link wanted} first.
   */
  deliver<A>(record: TracedRecord, tracked: boolean, deliver: (value: A) => void, value: A): void {
    if (this.untracked !== undefined) {
      const previous = this.untracked;
      this.untracked = undefined;
      endProcess(previous);
    }
    const payload = processPayload(this.identityOf(), [record]);
    // Registered before the hand-over: a committer downstream may end it synchronously, inside `deliver`.
    if (tracked) this.add(record, payload);
    else this.untracked = payload;
    processWith(payload, deliver, value);
  }

  /** The record at these coordinates reached the committer: its trace ends (if one is open). */
  processed(topic: string, partition: number, offset: bigint): void {
    const key = `${topic}:${partition}`;
    const partitionTraces = this.open.get(key);
    const payload = partitionTraces?.get(offset);
    if (payload === undefined) return;
    partitionTraces!.delete(offset);
    if (partitionTraces!.size === 0) this.open.delete(key);
    this.count--;
    endProcess(payload);
  }

  /** Ends every open trace as abandoned (`why`): the session closed. */
  abandonAll(why: string): void {
    const untracked = this.untracked;
    this.untracked = undefined;
    if (untracked !== undefined) endProcess(untracked);
    if (this.count === 0) return;
    const open = [...this.open.values()];
    this.open.clear();
    this.count = 0;
    for (const partitionTraces of open) for (const payload of partitionTraces.values()) abandonProcess(payload, why);
  }

  /** The stream ended cleanly with no committer attached: the last record's trace ends. */
  endUntracked(): void {
    const untracked = this.untracked;
    this.untracked = undefined;
    if (untracked !== undefined) endProcess(untracked);
  }

  private add(record: TracedRecord, payload: ConsumerProcessPayload): void {
    const key = `${record.topic}:${record.partition}`;
    let partitionTraces = this.open.get(key);
    if (partitionTraces === undefined) {
      partitionTraces = new Map();
      this.open.set(key, partitionTraces);
    }
    const before = partitionTraces.get(record.offset);
    // Read again (a seek back, the partition revoked and assigned again) before the first reading reached the
    // committer: that reading will never be seen as processed.
    if (before !== undefined) abandonProcess(before, 'the record was read again before it was processed');
    else this.count++;
    partitionTraces.set(record.offset, payload);
  }

  private identityOf(): TraceIdentity {
    if (this.identity !== undefined) return this.identity;
    let groupId: string | undefined;
    try {
      groupId = this.consumer.groupMetadata().groupId;
    } catch (error) {
      if (!(error instanceof InvalidGroupStateError)) throw error;
    }
    this.identity = { clientId: this.consumer.clientId ?? '', groupId, groupKind: 'consumer' };
    return this.identity;
  }
}
