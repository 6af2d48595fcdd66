import { diagnosticChannels } from '../diagnostics/channels.js';
import type { ProducerBatchPayload } from '../diagnostics/payloads.js';
import type { ProducerBatch } from './producer-batch.js';

/**
 * The `vltava:producer:batch` traces of one Produce request: one per batch attempt, opened when the request is
 * written and settled with the batch's outcome. A sink makes one only when the channel has a subscriber.
 */
export class TracedBatches {
  private readonly payloads = new Map<ProducerBatch, ProducerBatchPayload>();

  constructor(
    private readonly clientId: string,
    private readonly transactionalId: string | undefined,
    private readonly nodeId: number,
  ) {}

  /** Opens the trace of `batch`'s attempt (`sizeBytes` as written). */
  begin(batch: ProducerBatch, sizeBytes: number): void {
    const payload: ProducerBatchPayload = {
      clientId: this.clientId,
      transactionalId: this.transactionalId,
      nodeId: this.nodeId,
      topic: batch.topic,
      partition: batch.partition,
      recordCount: batch.count,
      sizeBytes,
      attempt: batch.attempts,
    };
    this.payloads.set(batch, payload);
    diagnosticChannels.producerBatch.begin(payload);
  }

  /** Settles `batch`'s trace: written at `baseOffset` (`-1n` when unknown), or failed with `error`. */
  settle(batch: ProducerBatch, error: unknown, baseOffset: bigint): void {
    const payload = this.payloads.get(batch);
    if (payload === undefined) return;
    this.payloads.delete(batch);
    diagnosticChannels.producerBatch.settle(payload, error, error === undefined ? baseOffset : undefined);
  }

  /** Settles every trace not settled yet with `error`. */
  settleAll(error: unknown): void {
    for (const [batch] of this.payloads) this.settle(batch, error, -1n);
  }
}
