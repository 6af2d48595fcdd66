import { diagnosticChannels } from '../diagnostics/channels.js';
import type { ConsumerDeliverPayload, HandOver, TracedRecord } from '../diagnostics/payloads.js';
import type { TraceIdentity } from '../diagnostics/process-trace.js';

export { beginProcess, endProcess, type TraceIdentity } from '../diagnostics/process-trace.js';

/** The identity of a consumer that gave none (test hosts). */
export const UNNAMED: TraceIdentity = { clientId: '', groupId: undefined, groupKind: 'consumer' };

/** No records. */
export const NO_RECORDS: readonly TracedRecord[] = Object.freeze([]);

/** True when a deliver or process trace would be published: check before building anything. */
export function consumerTraced(): boolean {
  return diagnosticChannels.consumerDeliver.hasSubscribers || diagnosticChannels.consumerProcess.hasSubscribers;
}

/**
 * Traces `records()` (a promise of some records: an iterator step, a poll) on `vltava:consumer:deliver`, when it
 * has a subscriber: `start` now, in the caller's context; the outcome when it settles.
 */
export function traceDeliver<R>(
  identity: TraceIdentity,
  handOver: HandOver,
  take: () => Promise<R>,
  recordsOf: (result: R) => readonly TracedRecord[],
): Promise<R> {
  const channel = diagnosticChannels.consumerDeliver;
  if (!channel.hasSubscribers) return take();
  const payload: ConsumerDeliverPayload = { ...identity, handOver };
  channel.begin(payload);
  return take().then(
    (result) => {
      channel.settle(payload, undefined, recordsOf(result));
      return result;
    },
    (error: unknown) => {
      channel.settle(payload, error);
      throw error;
    },
  );
}
