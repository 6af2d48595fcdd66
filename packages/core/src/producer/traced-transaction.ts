import { diagnosticChannels } from '../diagnostics/channels.js';
import type { CommitPayload, TransactionPayload } from '../diagnostics/payloads.js';
import type { TransactionGroupMetadata, TransactionOffset } from './transaction-coordinator.js';

/** The producer a transaction payload is about: its ids now. */
export interface TransactionIdentity {
  readonly clientId: string;
  readonly transactionalId: string;
  readonly producerId: bigint;
  readonly producerEpoch: number;
}

/**
 * Runs a transaction operation traced on `vltava:transaction` when it has a subscriber (`start` in the caller's
 * context, the outcome when `run` settles); runs it as it is otherwise.
 */
export function traceTransaction(
  operation: TransactionPayload['operation'],
  identity: TransactionIdentity,
  run: () => Promise<void>,
): Promise<void> {
  const channel = diagnosticChannels.transaction;
  if (!channel.hasSubscribers) return run();
  return channel.tracePromise(run, {
    clientId: identity.clientId,
    transactionalId: identity.transactionalId,
    operation,
    producerId: identity.producerId,
    producerEpoch: identity.producerEpoch,
  });
}

/** `begin`, which is synchronous, traced the same way. */
export function traceTransactionSync(identity: TransactionIdentity, run: () => void): void {
  const channel = diagnosticChannels.transaction;
  if (!channel.hasSubscribers) {
    run();
    return;
  }
  const payload: TransactionPayload = {
    clientId: identity.clientId,
    transactionalId: identity.transactionalId,
    operation: 'begin',
    producerId: identity.producerId,
    producerEpoch: identity.producerEpoch,
  };
  channel.begin(payload);
  try {
    run();
  } catch (error) {
    channel.settle(payload, error);
    throw error;
  }
  channel.settle(payload, undefined);
}

/** `sendOffsetsToTransaction` as a commit (`kind: 'transaction'`) on `vltava:commit`, when it has a subscriber. */
export function traceOffsetCommit(
  clientId: string,
  offsets: readonly TransactionOffset[],
  group: TransactionGroupMetadata | string,
  run: () => Promise<void>,
): Promise<void> {
  const channel = diagnosticChannels.commit;
  if (!channel.hasSubscribers) return run();
  const payload: CommitPayload = {
    clientId,
    groupId: typeof group === 'string' ? group : group?.groupId,
    kind: 'transaction',
    offsets: Array.isArray(offsets)
      ? offsets.map((o) => ({ topic: o.topic, partition: o.partition, offset: o.offset }))
      : [],
  };
  return channel.tracePromise(run, payload);
}
