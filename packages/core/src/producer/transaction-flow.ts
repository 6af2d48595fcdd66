import { InvalidArgumentError } from '../errors/client-errors.js';
import type { KafkaError } from '../errors/kafka-error.js';
import type { Logger } from '../utils/logger.js';
import { withinTimeout } from './call-timeout.js';
import { TransactionAbortedError } from './producer-errors.js';
import {
  type TransactionIdentity,
  traceOffsetCommit,
  traceTransaction,
  traceTransactionSync,
} from './traced-transaction.js';
import type { TransactionCoordinator, TransactionGroupMetadata, TransactionOffset } from './transaction-coordinator.js';
import type { TransactionManager } from './transaction-manager.js';

/** The requests of the transaction flow (the transaction coordinator's). */
export type TransactionRequests = Pick<TransactionCoordinator, 'initProducerId' | 'sendOffsets' | 'endTransaction'>;

/** What the transaction flow asks of the producer. */
export interface TransactionFlowHost {
  /** Connects the producer (bootstrap, first metadata, codecs). */
  connect(): Promise<void>;
  /** Makes every buffered record sendable now and resolves once each record sent so far has its outcome. */
  flushBuffered(): Promise<void>;
  /** The sender should look again (the producer id or the transaction state changed). */
  wakeSender(): void;
  /** Gives up every queued batch with `error` (records not sent yet). */
  abandonQueued(error: KafkaError): void;
}

/** Settings of the flow (from the producer options). */
export interface TransactionFlowOptions {
  /** Java: transactional.id. */
  readonly transactionalId: string;
  /** Java: max.block.ms: bounds each transaction call. */
  readonly maxBlockMs: number;
  /** `client.id`, for the `vltava:transaction` and `vltava:commit` channels. */
  readonly clientId?: string;
}

/**
 * The calls of a transactional producer, from `initTransactions` to `commitTransaction` / `abortTransaction`, over
 * the {@link TransactionManager}'s state machine and the coordinator's requests. Each call is bounded by
 * `maxBlockMs`. A commit or abort in progress is shared: a second call (or an abort during a commit) waits for it.
 *
 * The producer checks that it is open before it lets a user's call through; closing aborts a transaction left
 * open through {@link abortLeftOpen}, which does not need the producer open.
 */
export class TransactionFlow {
  private completing: Promise<void> | undefined;

  constructor(
    private readonly manager: TransactionManager,
    private readonly coordinator: TransactionRequests,
    private readonly host: TransactionFlowHost,
    private readonly options: TransactionFlowOptions,
    private readonly logger: Logger,
  ) {}

  /** `initTransactions()`: the producer id and epoch from the coordinator (fencing older instances). */
  init(): Promise<void> {
    return traceTransaction('init', this.identity(), () => this.initOnce());
  }

  private async initOnce(): Promise<void> {
    const manager = this.manager;
    manager.beginInit();
    const deadline = Date.now() + this.options.maxBlockMs;
    const grant = await withinTimeout(
      this.host.connect().then(() => this.coordinator.initProducerId(deadline)),
      deadline,
      'initTransactions',
    );
    manager.completeInit(grant.producerId, grant.producerEpoch, grant.transactionV2);
    this.logger.info('transactions initialised', {
      transactionalId: this.options.transactionalId,
      producerId: grant.producerId,
      producerEpoch: grant.producerEpoch,
      transactionV2: grant.transactionV2,
    });
    this.host.wakeSender();
  }

  /** `beginTransaction()`. */
  begin(): void {
    traceTransactionSync(this.identity(), () => this.manager.beginTransaction());
  }

  /** `sendOffsetsToTransaction()`: the consumed offsets join the transaction. */
  sendOffsets(offsets: readonly TransactionOffset[], groupMetadata: TransactionGroupMetadata | string): Promise<void> {
    return traceTransaction('sendOffsets', this.identity(), () =>
      traceOffsetCommit(this.options.clientId ?? '', offsets, groupMetadata, () =>
        this.sendOffsetsOnce(offsets, groupMetadata),
      ),
    );
  }

  private async sendOffsetsOnce(
    offsets: readonly TransactionOffset[],
    groupMetadata: TransactionGroupMetadata | string,
  ): Promise<void> {
    const manager = this.manager;
    manager.checkCanSendOffsets();
    const group = typeof groupMetadata === 'string' ? { groupId: groupMetadata } : groupMetadata;
    if (typeof group.groupId !== 'string' || group.groupId === '') {
      throw new InvalidArgumentError('sendOffsetsToTransaction needs a groupId');
    }
    const deadline = Date.now() + this.options.maxBlockMs;
    await withinTimeout(
      this.coordinator.sendOffsets(offsets, group, deadline, manager.transactionV2),
      deadline,
      'sendOffsetsToTransaction',
    );
    manager.markStarted();
  }

  /** `commitTransaction()`: every record of the transaction has its outcome, then EndTxn commits. */
  commit(): Promise<void> {
    return traceTransaction('commit', this.identity(), () => this.commitOnce());
  }

  private async commitOnce(): Promise<void> {
    this.manager.beginCommit();
    this.completing ??= this.complete(true).finally(() => {
      this.completing = undefined;
    });
    await withinTimeout(this.completing, Date.now() + this.options.maxBlockMs, 'commitTransaction');
  }

  /** `abortTransaction()`: records not sent yet fail with `TransactionAbortedError`, then EndTxn aborts. */
  abort(): Promise<void> {
    return traceTransaction('abort', this.identity(), () => this.abortOnce());
  }

  private async abortOnce(): Promise<void> {
    const manager = this.manager;
    const wasCommitting = manager.state === 'committing' && this.completing !== undefined;
    manager.beginAbort();
    if (wasCommitting) await this.completing!.catch(() => undefined);
    if (manager.state === 'ready') return;
    this.host.abandonQueued(new TransactionAbortedError('The transaction was aborted before this record was sent'));
    this.completing ??= this.complete(false).finally(() => {
      this.completing = undefined;
    });
    await withinTimeout(this.completing, Date.now() + this.options.maxBlockMs, 'abortTransaction');
  }

  /**
   * The producer is closing: aborts a transaction left open (in a transaction, or in its abortable state), within
   * `deadline` if given. Nothing to do otherwise, or after a fatal error.
   */
  async abortLeftOpen(deadline: number | undefined): Promise<void> {
    const manager = this.manager;
    if (manager.fatal !== undefined) return;
    if (manager.state !== 'in-transaction' && manager.state !== 'abortable-error') return;
    this.logger.warn('closing with a transaction open: aborting it', {
      transactionalId: this.options.transactionalId,
    });
    await withinTimeout(this.abort(), deadline, 'close');
  }

  /** Who the transaction payloads are about, now. */
  private identity(): TransactionIdentity {
    return {
      clientId: this.options.clientId ?? '',
      transactionalId: this.options.transactionalId,
      producerId: this.manager.producerId,
      producerEpoch: this.manager.producerEpoch,
    };
  }

  private async complete(commit: boolean): Promise<void> {
    const manager = this.manager;
    const coordinator = this.coordinator;
    // Every record of the transaction must have its outcome before EndTxn.
    await this.host.flushBuffered();
    if (manager.fatal !== undefined) throw manager.fatal;
    if (commit && manager.abortable !== undefined) throw manager.abortable;
    const deadline = Date.now() + this.options.maxBlockMs;
    let next: { producerId: bigint; producerEpoch: number } | undefined;
    if (manager.started) next = await coordinator.endTransaction(commit, deadline);
    if (!commit && manager.needsBumpAfterAbort) {
      // KIP-360: after an abort caused by a sequence error, bump the epoch with InitProducerId.
      next = await coordinator.initProducerId(deadline, {
        producerId: manager.producerId,
        producerEpoch: manager.producerEpoch,
      });
    }
    manager.completeTransaction(next);
    this.host.wakeSender();
  }
}
