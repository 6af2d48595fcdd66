import { describe, expect, it } from 'vitest';
import { createBrokerError } from '../errors/index.js';
import { silentLogger } from '../utils/logger.js';
import { PartitionState } from './partition-state.js';
import type { ProducerBatch } from './producer-batch.js';
import { AbortableTransactionError, ProducerFatalError, TransactionStateError } from './producer-errors.js';
import { incrementSequence, TransactionManager } from './transaction-manager.js';

/** The fields of a batch the transaction manager reads and writes. */
function batch(state: PartitionState, count = 10): ProducerBatch {
  return {
    state,
    count,
    producerId: -1n,
    producerEpoch: -1,
    baseSequence: -1,
    attempts: 0,
    attempted: false,
    inFlight: false,
    done: false,
  } as unknown as ProducerBatch;
}

/** Drains a batch as the sender does: sequence, then in flight. */
function send(manager: TransactionManager, b: ProducerBatch): void {
  manager.assignSequence(b.state, b);
  b.attempts++;
  b.attempted = true;
  b.inFlight = true;
  b.state.inFlight++;
}

function answered(b: ProducerBatch): void {
  b.inFlight = false;
  b.state.inFlight--;
}

const error = (code: number) => createBrokerError(code, { topic: 't', partition: 0 });

function idempotent(): TransactionManager {
  const manager = new TransactionManager(undefined, silentLogger);
  manager.setProducerIdAndEpoch(7n, 0);
  return manager;
}

/** Sends a new batch of `state` and answers it (its outcome is left to the test). */
function sentAndAnswered(manager: TransactionManager, state: PartitionState): ProducerBatch {
  const b = batch(state);
  send(manager, b);
  answered(b);
  return b;
}

/** Begins a transaction on partition `t-0` (and marks it added when `added`), sends one batch in it and answers it. */
function answeredInTransaction(manager: TransactionManager, added = false): ProducerBatch {
  manager.beginTransaction();
  const state = new PartitionState('t', 0);
  manager.addPartition(state);
  if (added) manager.partitionsAdded([state]);
  const a = sentAndAnswered(manager, state);
  return a;
}

/** An idempotent manager that has sent two batches of partition `t-0`, `a` then `b`, neither answered yet. */
function twoSent() {
  const manager = idempotent();
  const state = new PartitionState('t', 0);
  const [a, b] = [batch(state), batch(state)];
  send(manager, a);
  send(manager, b);
  return { manager, state, a, b };
}

describe('TransactionManager: sequences', () => {
  it('wraps sequences at 2^31 like Kafka', () => {
    expect(incrementSequence(5, 10)).toBe(15);
    expect(incrementSequence(0x7fffffff, 1)).toBe(0);
    expect(incrementSequence(0x7ffffffe, 5)).toBe(3);
  });

  it('sends nothing before a producer id, then numbers batches per partition', () => {
    const manager = new TransactionManager(undefined, silentLogger);
    const state = new PartitionState('t', 0);
    const a = batch(state);
    expect(manager.needsProducerId).toBe(true);
    expect(manager.canSend(state, a)).toBe(false);
    manager.setProducerIdAndEpoch(7n, 3);
    expect(manager.canSend(state, a)).toBe(true);
    send(manager, a);
    const b = batch(state, 5);
    send(manager, b);
    expect([a.baseSequence, b.baseSequence, state.nextSequence]).toEqual([0, 10, 15]);
    expect([b.producerId, b.producerEpoch]).toEqual([7n, 3]);
    const other = new PartitionState('t', 1);
    const c = batch(other);
    send(manager, c);
    expect(c.baseSequence).toBe(0);
  });

  it('allows at most 5 unacknowledged batches per partition', () => {
    const manager = idempotent();
    const state = new PartitionState('t', 0);
    const sent = Array.from({ length: 5 }, () => batch(state));
    for (const b of sent) send(manager, b);
    expect(manager.canSend(state, batch(state))).toBe(false);
    answered(sent[0]!);
    manager.onAcknowledged(sent[0]!);
    expect(state.lastAckedSequence).toBe(9);
    expect(manager.canSend(state, batch(state))).toBe(true);
  });

  it('sends one batch at a time until the broker acknowledged one of the epoch on the partition', () => {
    const manager = idempotent();
    const state = new PartitionState('t', 0);
    const first = batch(state);
    send(manager, first);
    // A broker without state for the producer would take a second batch even if the first failed.
    expect(manager.canSend(state, batch(state))).toBe(false);
    answered(first);
    manager.onAcknowledged(first);
    const [b, c] = [batch(state), batch(state)];
    send(manager, b!);
    expect(manager.canSend(state, c!)).toBe(true);
  });

  it('holds a partition after a retriable failure until its in-flight batches answer, then resends in order', () => {
    const manager = idempotent();
    const state = new PartitionState('t', 0);
    const warm = sentAndAnswered(manager, state);
    manager.onAcknowledged(warm);
    const [a, b, c] = [batch(state), batch(state), batch(state)];
    for (const x of [a!, b!, c!]) send(manager, x);
    answered(a!);
    expect(manager.onFailure(a!, 6, error(6), true)).toBe('retry');
    state.holdUntilIdle = true;
    expect(manager.canSend(state, a!)).toBe(false); // b and c still in flight
    answered(b!);
    expect(manager.onFailure(b!, 45, error(45), true)).toBe('retry'); // not the next sequence: a is pending
    answered(c!);
    expect(manager.onFailure(c!, 45, error(45), true)).toBe('retry');
    // Idle now: the oldest goes first, then the next once the first is in flight.
    expect(manager.canSend(state, b!)).toBe(false);
    expect(manager.canSend(state, a!)).toBe(true);
    send(manager, a!);
    expect(a!.baseSequence).toBe(10); // keeps its sequence
    expect(manager.canSend(state, b!)).toBe(true);
    // No new batch while retried batches are unacknowledged.
    expect(manager.canSend(state, batch(state))).toBe(false);
  });

  it('completes a failing batch as written when a later sequence was acknowledged', () => {
    const { manager, a, b } = twoSent();
    answered(b);
    manager.onAcknowledged(b);
    answered(a);
    expect(manager.onFailure(a, 45, error(45), true)).toBe('written');
  });

  it('bumps the epoch on a real gap and re-sequences the partition from 0', () => {
    const manager = idempotent();
    const state = new PartitionState('t', 0);
    const other = new PartitionState('t', 1);
    const [a, b] = [batch(state), batch(state)];
    const o = batch(other);
    send(manager, a!);
    send(manager, b!);
    send(manager, o);
    answered(a!);
    // a is the next sequence the broker should take, yet it says out of order: the broker lost state.
    expect(manager.onFailure(a!, 45, error(45), true)).toBe('retry');
    expect(manager.epochBumpRequired).toBe(true);
    expect(manager.canSend(other, batch(other))).toBe(false); // nothing goes out until the bump
    expect(manager.bumpIdempotentEpoch()).toBe(true);
    expect(manager.producerEpoch).toBe(0); // b still in flight: wait
    answered(b!);
    expect(manager.onFailure(b!, 45, error(45), true)).toBe('retry');
    manager.bumpIdempotentEpoch();
    expect(manager.producerEpoch).toBe(1);
    expect([a!.baseSequence, a!.producerEpoch, b!.baseSequence, b!.producerEpoch]).toEqual([0, 1, 10, 1]);
    expect(state.nextSequence).toBe(20);
    // The other partition keeps epoch 0 for its unacknowledged batch, and moves to epoch 1 once it has none.
    expect(o.producerEpoch).toBe(0);
    const next = batch(other);
    expect(manager.canSend(other, next)).toBe(false);
    answered(o);
    manager.onAcknowledged(o);
    expect(manager.canSend(other, next)).toBe(true);
    send(manager, next);
    expect([next.baseSequence, next.producerEpoch]).toEqual([0, 1]);
  });

  it('asks for a new producer id instead of a bump when the epoch is exhausted', () => {
    const manager = new TransactionManager(undefined, silentLogger);
    manager.setProducerIdAndEpoch(7n, 32767);
    const state = new PartitionState('t', 0);
    const a = sentAndAnswered(manager, state);
    expect(manager.onFailure(a, 59, error(59), true)).toBe('retry'); // UNKNOWN_PRODUCER_ID
    expect(manager.needsProducerId).toBe(true);
    expect(manager.bumpIdempotentEpoch()).toBe(false);
    manager.setProducerIdAndEpoch(8n, 0);
    expect([a.producerId, a.producerEpoch, a.baseSequence]).toEqual([8n, 0, 0]);
    expect(manager.needsProducerId).toBe(false);
  });

  it('leaves sequences unresolved after a sent batch gives up, and bumps if no later batch was acknowledged', () => {
    const { manager, state, a, b } = twoSent();
    answered(a);
    manager.onGivenUp(a); // e.g. expired
    expect(manager.canSend(state, batch(state))).toBe(false);
    answered(b);
    manager.onAcknowledged(b); // a later batch made it: a was written after all
    manager.resolveSequences();
    expect(manager.canSend(state, batch(state))).toBe(true);
    expect(manager.epochBumpRequired).toBe(false);

    const c = sentAndAnswered(manager, state);
    manager.onGivenUp(c);
    manager.resolveSequences();
    expect(manager.epochBumpRequired).toBe(true);
  });

  it('classifies fatal errors', () => {
    const manager = idempotent();
    const state = new PartitionState('t', 0);
    const a = sentAndAnswered(manager, state);
    expect(manager.onFailure(a, 31, error(31), true)).toBe('fail'); // CLUSTER_AUTHORIZATION_FAILED
    expect(manager.fatal).toBeInstanceOf(ProducerFatalError);
    expect(manager.fatal!.cause).toBeInstanceOf(Error);
    expect(manager.sendError()).toBe(manager.fatal);
    expect(manager.canSend(state, batch(state))).toBe(false);
  });
});

describe('TransactionManager: transactions', () => {
  function transactional(v2 = false): TransactionManager {
    const manager = new TransactionManager('tx-1', silentLogger);
    manager.beginInit();
    manager.completeInit(9n, 0, v2);
    return manager;
  }

  it('walks the state machine and rejects calls out of order', () => {
    const manager = new TransactionManager('tx-1', silentLogger);
    expect(manager.sendError()).toBeInstanceOf(TransactionStateError);
    expect(() => manager.beginTransaction()).toThrow(/Cannot beginTransaction in state uninitialized/);
    manager.beginInit();
    manager.completeInit(9n, 0, false);
    expect(manager.state).toBe('ready');
    expect(manager.sendError()?.message).toMatch(/call beginTransaction\(\) first/);
    expect(() => manager.beginCommit()).toThrow(TransactionStateError);
    manager.beginTransaction();
    expect(manager.sendError()).toBeUndefined();
    manager.beginCommit();
    expect(manager.state).toBe('committing');
    manager.completeTransaction();
    expect(manager.state).toBe('ready');
    expect(() => new TransactionManager(undefined, silentLogger).beginTransaction()).toThrow(/set transactionalId/);
  });

  it('registers partitions with AddPartitionsToTxn in v1 and implicitly in v2', () => {
    const v1 = transactional(false);
    v1.beginTransaction();
    const state = new PartitionState('t', 0);
    v1.addPartition(state);
    expect(v1.partitionsToAdd.has(state)).toBe(true);
    expect(v1.canSend(state, batch(state))).toBe(false);
    expect(v1.started).toBe(false);
    v1.partitionsAdded([state]);
    expect(v1.canSend(state, batch(state))).toBe(true);
    expect(v1.started).toBe(true);
    v1.completeTransaction();
    expect(state.inTransaction).toBe(false);

    const v2 = transactional(true);
    v2.beginTransaction();
    const other = new PartitionState('t', 1);
    v2.addPartition(other);
    expect(v2.partitionsToAdd.size).toBe(0);
    const b = batch(other);
    expect(v2.canSend(other, b)).toBe(true);
    send(v2, b);
    expect(v2.started).toBe(true);
    // EndTxn v5 bumps the epoch: the partition restarts at sequence 0.
    answered(b);
    v2.onAcknowledged(b);
    v2.completeTransaction({ producerId: 9n, producerEpoch: 1 });
    v2.beginTransaction();
    v2.addPartition(other);
    const c = batch(other);
    send(v2, c);
    expect([c.baseSequence, c.producerEpoch]).toEqual([0, 1]);
  });

  it('moves to abortable on a failed send; only abort is allowed then', () => {
    const manager = transactional(true);
    const a = answeredInTransaction(manager);
    expect(manager.onFailure(a, 87, error(87), true)).toBe('fail'); // INVALID_RECORD
    expect(manager.state).toBe('abortable-error');
    expect(manager.sendError()).toBeInstanceOf(AbortableTransactionError);
    expect(() => manager.beginCommit()).toThrow(AbortableTransactionError);
    manager.beginAbort();
    manager.completeTransaction();
    expect(manager.state).toBe('ready');
    expect(manager.abortable).toBeUndefined();
  });

  it('treats a sequence gap as abortable and asks for an epoch bump after the abort (v1)', () => {
    const manager = transactional(false);
    const a = answeredInTransaction(manager, true);
    expect(manager.onFailure(a, 45, error(45), true)).toBe('fail');
    expect(manager.state).toBe('abortable-error');
    expect(manager.needsBumpAfterAbort).toBe(true);
  });

  it('is fenced by PRODUCER_FENCED and INVALID_PRODUCER_EPOCH', () => {
    for (const code of [90, 47]) {
      const manager = transactional(true);
      const a = answeredInTransaction(manager);
      expect(manager.onFailure(a, code, error(code), true)).toBe('fail');
      expect(manager.state).toBe('fatal-error');
      expect(manager.fatal!.message).toMatch(/fenced/);
      expect(() => manager.beginAbort()).toThrow(ProducerFatalError);
    }
  });
});
