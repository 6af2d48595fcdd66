import { ErrorCodes } from '../errors/error-codes.generated.js';
import type { KafkaError } from '../errors/kafka-error.js';
import { NO_SEQUENCE } from '../protocol/records/record-batch-format.js';
import type { Logger } from '../utils/logger.js';
import type { PartitionState } from './partition-state.js';
import type { ProducerBatch } from './producer-batch.js';
import { AbortableTransactionError, ProducerFatalError, TransactionStateError } from './producer-errors.js';

/** Most unacknowledged batches per partition: the broker remembers the last 5 batches of a producer to dedup. */
export const MAX_UNACKED_PER_PARTITION = 5;

/** Largest producer epoch (Java: `Short.MAX_VALUE`). */
export const MAX_EPOCH = 32767;

/** Error codes after which a producer cannot go on. */
export const FATAL_CODES: ReadonlySet<number> = new Set([
  ErrorCodes.PRODUCER_FENCED,
  ErrorCodes.TRANSACTIONAL_ID_AUTHORIZATION_FAILED,
  ErrorCodes.CLUSTER_AUTHORIZATION_FAILED,
  ErrorCodes.UNSUPPORTED_VERSION,
  ErrorCodes.UNSUPPORTED_FOR_MESSAGE_FORMAT,
  ErrorCodes.INVALID_TXN_STATE,
]);

/** States of a transactional producer (an idempotent one only uses `uninitialized`, `ready` and `fatal-error`). */
export type TransactionState =
  | 'uninitialized'
  | 'initializing'
  | 'ready'
  | 'in-transaction'
  | 'committing'
  | 'aborting'
  | 'abortable-error'
  | 'fatal-error';

/**
 * What to do with a batch that failed: send it again, fail its records with the error, or complete it as written
 * (the broker acknowledged a later sequence of the same epoch, so this one is in the log; its offset is unknown).
 */
export type FailureDecision = 'retry' | 'fail' | 'written';

/** Adds `increment` to a sequence number, wrapping at 2^31 as Kafka does (`DefaultRecordBatch.incrementSequence`). */
export function incrementSequence(sequence: number, increment: number): number {
  return sequence > 0x7fffffff - increment ? increment - (0x7fffffff - sequence) - 1 : sequence + increment;
}

/** Last sequence of a batch with a base sequence. */
export function lastSequence(batch: ProducerBatch): number {
  return incrementSequence(batch.baseSequence, batch.count - 1);
}

/**
 * Producer id, epoch and sequence numbers (idempotence), and the transaction state machine.
 *
 * ## Idempotence: the rules, per partition
 *
 * 1. **Producer id first.** No batch is sent before the producer has an id and epoch (InitProducerId).
 * 2. **Sequences at first send.** A batch gets its base sequence when it is first drained: the partition's next
 *    sequence, which then advances by the batch's record count (wrapping at 2^31). A batch keeps its producer id,
 *    epoch and sequence on every retry, unless rule 7 re-sequences it.
 * 3. **Window of 5, first batch alone.** At most 5 batches of a partition are unacknowledged at once (the broker
 *    dedups within the last 5 batches of a producer), and at most `maxInFlightRequestsPerConnection` (<= 5) requests
 *    per broker. Until the broker has acknowledged one batch of the current epoch on the partition, only one batch
 *    is in flight: a broker with no state for a producer accepts its first batch whatever the sequence (KIP-360),
 *    so a second batch could otherwise land ahead of a first one that failed.
 * 4. **Success.** A success, or DUPLICATE_SEQUENCE_NUMBER (the broker already has the batch), records the batch's
 *    last sequence as the partition's last acknowledged sequence.
 * 5. **Retry in order.** A batch that fails retriably goes back to the front of its partition's queue, in sequence
 *    order, and the partition sends nothing more until every request in flight for it has answered. Then the
 *    queued batches go out again in order with their original sequences: the broker skips those it already has
 *    and appends the others, so order and exactly-once hold across retries, reconnects and leader changes. No new
 *    batch is sent while a retried batch is unacknowledged, so a retried batch always stays within the 5 batches
 *    the broker remembers. If a later batch of the same epoch is acknowledged first, a failing earlier batch is
 *    known to be written (the broker appends a producer's sequences in order): it completes, offset unknown.
 * 6. **OUT_OF_ORDER_SEQUENCE_NUMBER.** If the batch is not the next one the broker should expect (an earlier batch
 *    is still pending, or the batch was re-sequenced under a newer epoch), retry it. If it is the next one (base
 *    = last acknowledged + 1, or right after an unresolved batch of rule 8), the broker has a real gap: an
 *    idempotent producer bumps its epoch (rule 7) and retries; a transactional one enters the abortable state.
 *    UNKNOWN_PRODUCER_ID (the broker lost the producer's state) is handled the same way as a gap.
 * 7. **Epoch bump (KIP-360).** The idempotent producer bumps its epoch locally (a new producer id from
 *    InitProducerId when the epoch is exhausted). The partition that hit the gap has its unacknowledged batches
 *    re-sequenced from 0 under the new epoch. Every other partition keeps the old epoch for the batches it has
 *    unacknowledged, and starts at sequence 0 under the new epoch once it has none: a new epoch's sequence 0 never
 *    overtakes an older batch of the same partition.
 * 8. **Unresolved sequences.** A batch that was sent and then failed for good (delivery timeout, retries
 *    exhausted, non-retriable error) leaves its sequences unresolved: the broker may or may not have it. The
 *    partition sends no new batch until its unacknowledged batches are done; if by then a later batch was
 *    acknowledged, the gap never existed; otherwise the idempotent producer bumps its epoch (rule 7) and a
 *    transactional one enters the abortable state (the abort bumps the epoch, KIP-360).
 * 9. **Fatal.** PRODUCER_FENCED, INVALID_PRODUCER_EPOCH of a transactional producer, authorization failures and
 *    unsupported versions make the producer unusable: every pending and later send fails.
 *
 * ## Transactions
 *
 * `uninitialized` -initTransactions-> `initializing` -> `ready` -beginTransaction-> `in-transaction`
 * -commitTransaction-> `committing` -> `ready`, or -abortTransaction-> `aborting` -> `ready`. An error in a
 * transaction moves it to `abortable-error` (only abort is allowed, sends and commits fail with
 * `AbortableTransactionError`); a fatal error moves to `fatal-error` (everything fails with `ProducerFatalError`).
 * With transactions v1 a partition is registered with AddPartitionsToTxn before its first batch of a transaction is
 * sent; with transactions v2 (KIP-890) the Produce request registers it, and every EndTxn bumps the epoch (the
 * response carries the new epoch, or a new producer id when the epoch is exhausted).
 */
export class TransactionManager {
  /** Current producer id (-1 until initialised). */
  producerId = -1n;
  /** Current producer epoch (-1 until initialised). */
  producerEpoch = -1;
  /** Transactions v2 (KIP-890 part 2) is in use. */
  transactionV2 = false;

  private stateValue: TransactionState = 'uninitialized';
  private fatalError: ProducerFatalError | undefined;
  private abortableError: AbortableTransactionError | undefined;
  /** An epoch bump is needed: local for idempotence, through InitProducerId on abort for transactions v1. */
  private bumpRequired = false;
  /** Partitions whose unacknowledged batches are re-sequenced by the next bump. */
  private readonly rewrite = new Set<PartitionState>();
  /** Partitions with unresolved sequences (rule 8). */
  private readonly unresolved = new Set<PartitionState>();
  /** Partitions written in the current transaction. */
  private readonly transactionPartitions = new Set<PartitionState>();
  /** Partitions to register with AddPartitionsToTxn (v1). */
  private readonly pendingPartitions = new Set<PartitionState>();
  /** The coordinator knows of the current transaction (a partition or offsets were added to it). */
  private startedFlag = false;

  constructor(
    /** The producer's transactional id, or undefined for an idempotent producer. */
    readonly transactionalId: string | undefined,
    private readonly logger: Logger,
  ) {}

  /** True for a transactional producer. */
  get transactional(): boolean {
    return this.transactionalId !== undefined;
  }

  /** The current state. */
  get state(): TransactionState {
    return this.stateValue;
  }

  /** The fatal error, once the producer has one. */
  get fatal(): ProducerFatalError | undefined {
    return this.fatalError;
  }

  /** The abortable error of the current transaction, if any. */
  get abortable(): AbortableTransactionError | undefined {
    return this.abortableError;
  }

  /** True once a producer id and epoch are known. */
  get hasProducerId(): boolean {
    return this.producerId >= 0n && this.producerEpoch >= 0;
  }

  /** An idempotent producer needs InitProducerId now: no id yet, or a bump with an exhausted epoch. */
  get needsProducerId(): boolean {
    if (this.fatalError !== undefined || this.transactional) return false;
    if (!this.hasProducerId) return true;
    if (!this.bumpRequired || this.producerEpoch < MAX_EPOCH) return false;
    for (const state of this.rewrite) if (state.inFlight > 0) return false;
    return true;
  }

  /** An epoch bump is pending. */
  get epochBumpRequired(): boolean {
    return this.bumpRequired;
  }

  /** Partitions waiting for AddPartitionsToTxn (transactions v1). */
  get partitionsToAdd(): ReadonlySet<PartitionState> {
    return this.pendingPartitions;
  }

  // ---------------------------------------------------------------------------------------------------------------
  // Producer id

  /** Sets the producer id and epoch from InitProducerId (or EndTxn v5). Partitions move to it lazily (rule 7). */
  setProducerIdAndEpoch(producerId: bigint, producerEpoch: number): void {
    const changed = producerId !== this.producerId || producerEpoch !== this.producerEpoch;
    this.producerId = producerId;
    this.producerEpoch = producerEpoch;
    if (changed) {
      this.logger.info('producer id and epoch set', { producerId, producerEpoch });
      this.bumpRequired = false;
      this.rewriteSequences();
    }
  }

  /**
   * Applies a pending bump of an idempotent producer's epoch locally (rule 7), once the partitions to re-sequence
   * have no request in flight. Returns false when the epoch is exhausted and a new producer id is needed instead
   * ({@link needsProducerId}).
   */
  bumpIdempotentEpoch(): boolean {
    if (!this.bumpRequired || this.transactional) return true;
    // Wait until the partitions to re-sequence have nothing in flight: their batches are rewritten in place.
    for (const state of this.rewrite) if (state.inFlight > 0) return true;
    if (this.producerEpoch >= MAX_EPOCH) return false;
    this.setProducerIdAndEpoch(this.producerId, this.producerEpoch + 1);
    return true;
  }

  /** Re-sequences the unacknowledged batches of partitions that hit a gap, under the current id and epoch. */
  private rewriteSequences(): void {
    for (const state of this.rewrite) {
      state.producerId = this.producerId;
      state.producerEpoch = this.producerEpoch;
      state.lastAckedSequence = -1;
      state.unresolvedSequence = -1;
      state.unacked.sort((a, b) => a.baseSequence - b.baseSequence);
      let sequence = 0;
      for (const batch of state.unacked) {
        batch.producerId = this.producerId;
        batch.producerEpoch = this.producerEpoch;
        batch.baseSequence = sequence;
        sequence = incrementSequence(sequence, batch.count);
      }
      state.nextSequence = sequence;
      this.unresolved.delete(state);
      this.logger.info('sequences restarted under a new epoch', {
        partition: state.label,
        producerEpoch: this.producerEpoch,
        batches: state.unacked.length,
      });
    }
    this.rewrite.clear();
  }

  private requestBump(state: PartitionState): void {
    this.bumpRequired = true;
    this.rewrite.add(state);
  }

  // ---------------------------------------------------------------------------------------------------------------
  // Sending

  /**
   * Whether `batch`, the head of `state`'s queue, may be sent now (rules 1, 3, 5, 7, 8; transactions: the partition
   * must be registered).
   */
  canSend(state: PartitionState, batch: ProducerBatch): boolean {
    if (this.fatalError !== undefined || !this.hasProducerId || this.bumpRequired) return false;
    if (this.transactional && !state.inTransaction) return false;
    if (state.holdUntilIdle) {
      if (state.inFlight > 0) return false;
      state.holdUntilIdle = false;
    }
    // Rule 3: until the broker has acknowledged one batch of this producer epoch on the partition, one batch at a
    // time. A broker without state for the producer accepts any sequence, so a later batch could otherwise be
    // written ahead of an earlier one that failed.
    if (
      state.lastAckedSequence === -1 &&
      state.producerId === this.producerId &&
      state.producerEpoch === this.producerEpoch
    ) {
      for (const other of state.unacked) if (other.inFlight) return false;
    }
    if (batch.baseSequence !== NO_SEQUENCE) {
      // A retry: send it only if it is the oldest unacknowledged batch not in flight, so retries go in order.
      for (const other of state.unacked) {
        if (other === batch) break;
        if (!other.inFlight && !other.done) return false;
      }
      return true;
    }
    if (this.unresolved.has(state)) return false;
    if (state.unacked.length >= MAX_UNACKED_PER_PARTITION) return false;
    // While a retried batch is unacknowledged, send nothing new: at most 4 batches then follow it on the broker,
    // so it stays within the 5 batches the broker remembers and every resend of it is recognised as a duplicate.
    for (const other of state.unacked) if (other.attempts > 1 || !other.inFlight) return false;
    const stale = state.producerId !== this.producerId || state.producerEpoch !== this.producerEpoch;
    if (stale && state.unacked.length > 0) return false;
    return true;
  }

  /** Stamps a new batch with the producer id, epoch and the partition's next sequence (rule 2). */
  assignSequence(state: PartitionState, batch: ProducerBatch): void {
    if (batch.baseSequence !== NO_SEQUENCE) return;
    if (state.producerId !== this.producerId || state.producerEpoch !== this.producerEpoch) {
      state.producerId = this.producerId;
      state.producerEpoch = this.producerEpoch;
      state.nextSequence = 0;
      state.lastAckedSequence = -1;
      state.unresolvedSequence = -1;
    }
    // With transactions v2 the Produce request adds the partition to the transaction.
    if (this.transactional) this.startedFlag = true;
    batch.producerId = this.producerId;
    batch.producerEpoch = this.producerEpoch;
    batch.baseSequence = state.nextSequence;
    state.nextSequence = incrementSequence(state.nextSequence, batch.count);
    state.unacked.push(batch);
  }

  // ---------------------------------------------------------------------------------------------------------------
  // Outcomes

  /** A batch was acknowledged (or reported as a duplicate): rule 4. Also for batches that already expired. */
  onAcknowledged(batch: ProducerBatch): void {
    const state = batch.state;
    state.removeUnacked(batch);
    if (batch.producerId === state.producerId && batch.producerEpoch === state.producerEpoch) {
      const last = lastSequence(batch);
      if (last > state.lastAckedSequence || state.lastAckedSequence === -1) state.lastAckedSequence = last;
    }
  }

  /**
   * Decides what to do with a batch whose request failed with broker error `code` (or a client error such as a
   * broken connection, code -1). `canRetry` says whether the batch has attempts and time left. Applies rules 5-7:
   * sequence errors are judged by the sequence rules, other errors by their `retriable` flag. Marks the producer's
   * error state where needed.
   */
  onFailure(batch: ProducerBatch, code: number, error: KafkaError, canRetry: boolean): FailureDecision {
    const state = batch.state;
    if (
      batch.baseSequence !== NO_SEQUENCE &&
      batch.producerId === state.producerId &&
      batch.producerEpoch === state.producerEpoch &&
      state.lastAckedSequence >= lastSequence(batch)
    ) {
      // A later batch was acknowledged: the broker appends a producer's sequences in order, so this one was
      // written (its response got lost). Complete it; only its offset is unknown.
      return 'written';
    }
    if (FATAL_CODES.has(code) || (this.transactional && code === ErrorCodes.INVALID_PRODUCER_EPOCH)) {
      this.setFatal(error);
      return 'fail';
    }
    if (
      batch.baseSequence !== NO_SEQUENCE &&
      (code === ErrorCodes.OUT_OF_ORDER_SEQUENCE_NUMBER || code === ErrorCodes.UNKNOWN_PRODUCER_ID)
    ) {
      // A batch stamped with another id or epoch than the partition now runs under is a leftover: just retry.
      const leftover = batch.producerId !== state.producerId || batch.producerEpoch !== state.producerEpoch;
      if (leftover || this.rewrite.has(state)) return canRetry ? 'retry' : 'fail';
      const followsUnresolved =
        state.unresolvedSequence >= 0 && batch.baseSequence === incrementSequence(state.unresolvedSequence, 1);
      const isNext = batch.baseSequence === incrementSequence(state.lastAckedSequence, 1);
      const gap =
        code === ErrorCodes.UNKNOWN_PRODUCER_ID || followsUnresolved || (!this.unresolved.has(state) && isNext);
      if (!gap) return canRetry ? 'retry' : 'fail';
      if (this.transactional) {
        this.setAbortable(error);
        if (!this.transactionV2) this.bumpRequired = true;
        return 'fail';
      }
      if (!canRetry) return 'fail';
      this.logger.warn('sequence gap on the broker; bumping the producer epoch', {
        partition: state.label,
        error: error.kafkaErrorName,
        baseSequence: batch.baseSequence,
        lastAcked: state.lastAckedSequence,
      });
      this.requestBump(state);
      return 'retry';
    }
    if (error.retriable && canRetry) return 'retry';
    if (this.transactional) this.setAbortable(error);
    return 'fail';
  }

  /** A batch was split into `parts` (MESSAGE_TOO_LARGE): they take its place among the unacknowledged batches. */
  onSplit(batch: ProducerBatch, parts: readonly ProducerBatch[]): void {
    const unacked = batch.state.unacked;
    const index = unacked.indexOf(batch);
    if (index >= 0) unacked.splice(index, 1, ...parts);
  }

  /** A batch failed for good after it was sent (or expired): rule 8. */
  onGivenUp(batch: ProducerBatch): void {
    if (batch.baseSequence === NO_SEQUENCE) return;
    const state = batch.state;
    state.removeUnacked(batch);
    if (this.rewrite.has(state)) return;
    const last = lastSequence(batch);
    if (state.unresolvedSequence < last) state.unresolvedSequence = last;
    this.unresolved.add(state);
    if (this.transactional && this.fatalError === undefined && this.stateValue === 'in-transaction') {
      // The transaction lost a batch whose fate is unknown: it must be aborted.
      this.setAbortable(undefined, batch);
    }
  }

  /**
   * Settles unresolved partitions that have nothing left in flight (rule 8). Call before each drain.
   */
  resolveSequences(): void {
    for (const state of this.unresolved) {
      if (state.unacked.length > 0) continue;
      this.unresolved.delete(state);
      // Under another epoch than the current one the partition restarts at sequence 0 anyway: no gap can remain.
      const resolved =
        state.producerId !== this.producerId ||
        state.producerEpoch !== this.producerEpoch ||
        incrementSequence(state.lastAckedSequence, 1) === state.nextSequence;
      if (resolved) {
        state.unresolvedSequence = -1;
        continue;
      }
      if (this.transactional) {
        // The transaction is abortable already (onGivenUp); the abort sets a new epoch (v1 through InitProducerId).
        if (!this.transactionV2) this.bumpRequired = true;
      } else {
        this.logger.warn('unacknowledged batches gave up with a sequence gap; bumping the producer epoch', {
          partition: state.label,
          lastAcked: state.lastAckedSequence,
          nextSequence: state.nextSequence,
        });
        this.requestBump(state);
      }
    }
  }

  // ---------------------------------------------------------------------------------------------------------------
  // Errors

  /** Moves to the fatal state with `cause` (the first fatal error wins). */
  setFatal(cause: KafkaError): ProducerFatalError {
    if (this.fatalError === undefined) {
      const what =
        cause.kafkaErrorCode === ErrorCodes.PRODUCER_FENCED ||
        cause.kafkaErrorCode === ErrorCodes.INVALID_PRODUCER_EPOCH
          ? 'was fenced: another producer with the same transactionalId has started'
          : `failed fatally (${cause.kafkaErrorName ?? cause.code})`;
      this.fatalError = new ProducerFatalError(`The producer ${what}; close it`, {
        cause,
        ...(this.transactionalId === undefined ? {} : { groupId: this.transactionalId }),
        ...(cause.kafkaErrorName === undefined ? {} : { kafkaErrorName: cause.kafkaErrorName }),
        ...(cause.kafkaErrorCode === undefined ? {} : { kafkaErrorCode: cause.kafkaErrorCode }),
      });
      this.stateValue = 'fatal-error';
      this.logger.error('producer fatal error', { error: cause });
    }
    return this.fatalError;
  }

  /** Moves a transaction to the abortable state. */
  setAbortable(cause: KafkaError | undefined, batch?: ProducerBatch): AbortableTransactionError {
    if (this.abortableError === undefined && this.fatalError === undefined) {
      const reason =
        cause !== undefined
          ? `${cause.kafkaErrorName ?? cause.code}: ${cause.message}`
          : `a batch for ${batch?.state.label ?? 'a partition'} was not acknowledged in time`;
      this.abortableError = new AbortableTransactionError(
        `The transaction cannot commit (${reason}); call abortTransaction() and start a new transaction`,
        {
          ...(cause === undefined ? {} : { cause }),
          ...(this.transactionalId === undefined ? {} : { groupId: this.transactionalId }),
          ...(cause?.kafkaErrorName === undefined ? {} : { kafkaErrorName: cause.kafkaErrorName }),
          ...(cause?.kafkaErrorCode === undefined ? {} : { kafkaErrorCode: cause.kafkaErrorCode }),
        },
      );
      if (this.stateValue === 'in-transaction' || this.stateValue === 'committing') {
        this.stateValue = 'abortable-error';
      }
    }
    return this.abortableError ?? (this.fatalError as unknown as AbortableTransactionError);
  }

  /** The error a send must fail with now, if any. */
  sendError(): KafkaError | undefined {
    if (this.fatalError !== undefined) return this.fatalError;
    if (!this.transactional) return undefined;
    if (this.abortableError !== undefined) return this.abortableError;
    if (this.stateValue !== 'in-transaction') {
      return new TransactionStateError(
        this.stateValue === 'uninitialized' || this.stateValue === 'initializing'
          ? 'Cannot send before initTransactions() has completed'
          : `Cannot send in state ${this.stateValue}: call beginTransaction() first`,
        { groupId: this.transactionalId },
      );
    }
    return undefined;
  }

  // ---------------------------------------------------------------------------------------------------------------
  // Transaction state machine

  /** Checks a transition is allowed from the current state; throws the error to report otherwise. */
  private require(allowed: readonly TransactionState[], action: string): void {
    if (!this.transactional) {
      throw new TransactionStateError(`${action} needs a transactional producer: set transactionalId`);
    }
    if (this.fatalError !== undefined) throw this.fatalError;
    if (!allowed.includes(this.stateValue)) {
      if (this.stateValue === 'abortable-error' && this.abortableError !== undefined) throw this.abortableError;
      throw new TransactionStateError(`Cannot ${action} in state ${this.stateValue}`, {
        groupId: this.transactionalId,
      });
    }
  }

  /** initTransactions starts. */
  beginInit(): void {
    this.require(['uninitialized', 'initializing'], 'initTransactions');
    this.stateValue = 'initializing';
  }

  /** initTransactions finished. */
  completeInit(producerId: bigint, producerEpoch: number, transactionV2: boolean): void {
    this.transactionV2 = transactionV2;
    this.setProducerIdAndEpoch(producerId, producerEpoch);
    if (this.stateValue === 'initializing') this.stateValue = 'ready';
  }

  /** beginTransaction. */
  beginTransaction(): void {
    this.require(['ready'], 'beginTransaction');
    this.stateValue = 'in-transaction';
  }

  /**
   * Registers a partition written in the current transaction: with v1 it waits for AddPartitionsToTxn; with v2
   * the Produce request registers it.
   */
  addPartition(state: PartitionState): void {
    if (this.transactionPartitions.has(state)) return;
    this.transactionPartitions.add(state);
    if (this.transactionV2) state.inTransaction = true;
    else this.pendingPartitions.add(state);
  }

  /** True once the coordinator knows of the current transaction: EndTxn is needed to finish it. */
  get started(): boolean {
    return this.startedFlag;
  }

  /** The coordinator learnt of the transaction (offsets were added to it). */
  markStarted(): void {
    this.startedFlag = true;
  }

  /** AddPartitionsToTxn answered for `states`. */
  partitionsAdded(states: Iterable<PartitionState>): void {
    this.startedFlag = true;
    for (const state of states) {
      this.pendingPartitions.delete(state);
      if (this.transactionPartitions.has(state)) state.inTransaction = true;
    }
  }

  /** sendOffsetsToTransaction: only in a transaction. */
  checkCanSendOffsets(): void {
    this.require(['in-transaction'], 'sendOffsetsToTransaction');
  }

  /** commitTransaction starts: `committing`, or stays `committing` for a retried call. */
  beginCommit(): void {
    this.require(['in-transaction', 'committing'], 'commitTransaction');
    this.stateValue = 'committing';
  }

  /** abortTransaction starts. */
  beginAbort(): void {
    this.require(['in-transaction', 'abortable-error', 'aborting', 'committing'], 'abortTransaction');
    this.stateValue = 'aborting';
  }

  /** Whether a bump through InitProducerId must follow the abort (transactions v1, KIP-360). */
  get needsBumpAfterAbort(): boolean {
    return this.transactional && !this.transactionV2 && this.bumpRequired;
  }

  /**
   * The commit or abort completed (EndTxn answered). With transactions v2 the response's id and epoch become
   * current; partitions start again at sequence 0 as they go idle.
   */
  completeTransaction(next?: { producerId: bigint; producerEpoch: number }): void {
    for (const state of this.transactionPartitions) state.inTransaction = false;
    this.transactionPartitions.clear();
    this.pendingPartitions.clear();
    this.abortableError = undefined;
    this.startedFlag = false;
    if (next !== undefined && next.producerId >= 0n) this.setProducerIdAndEpoch(next.producerId, next.producerEpoch);
    if (this.fatalError === undefined) this.stateValue = 'ready';
  }
}
