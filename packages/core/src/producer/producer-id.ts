import { ErrorCodes } from '../errors/error-codes.generated.js';
import { createBrokerError } from '../errors/index.js';
import type { Connection } from '../network/connection.js';
import { InitProducerId } from '../protocol/messages/generated/init-producer-id.js';

/** Producer id and epoch as InitProducerId and EndTxn v5 return them. */
export interface ProducerIdAndEpoch {
  readonly producerId: bigint;
  readonly producerEpoch: number;
}

/** What InitProducerId gives: the id and epoch, and whether the broker runs transactions v2 (KIP-890). */
export interface ProducerIdGrant extends ProducerIdAndEpoch {
  readonly transactionV2: boolean;
}

/** What {@link initProducerId} needs of a connection. */
export type ProducerIdConnection = Pick<Connection, 'send' | 'label' | 'finalizedFeatures'>;

/** What to ask InitProducerId for. */
export interface ProducerIdRequest {
  /** The transactional id, or null for an idempotent producer. */
  readonly transactionalId: string | null;
  /** Java: transaction.timeout.ms. */
  readonly transactionTimeoutMs: number;
  /** The current id and epoch, to bump the epoch (KIP-360); absent for a fresh id (fencing older instances). */
  readonly current?: ProducerIdAndEpoch;
}

/**
 * InitProducerId: the one way every producer gets its producer id and epoch. An idempotent producer asks any broker
 * (the sender does, before its first batch and when its epoch is exhausted); a transactional one asks its
 * transaction coordinator (`initTransactions`, and the epoch bump after an abort). Rejects with the broker's error
 * class for an error code; what that error means for the producer (retry, fatal) is the caller's to decide.
 */
export async function initProducerId(
  connection: ProducerIdConnection,
  request: ProducerIdRequest,
): Promise<ProducerIdGrant> {
  const { transactionalId, current } = request;
  const response = await connection.send(InitProducerId, {
    transactionalId,
    transactionTimeoutMs: request.transactionTimeoutMs,
    producerId: current?.producerId ?? -1n,
    producerEpoch: current?.producerEpoch ?? -1,
  });
  if (response.errorCode !== ErrorCodes.NONE) {
    throw createBrokerError(response.errorCode, {
      api: 'InitProducerId',
      broker: connection.label,
      ...(transactionalId === null ? {} : { groupId: transactionalId }),
    });
  }
  return {
    producerId: response.producerId,
    producerEpoch: response.producerEpoch,
    transactionV2: (connection.finalizedFeatures.get('transaction.version') ?? 0) >= 2,
  };
}
