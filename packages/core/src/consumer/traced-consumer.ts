import { diagnosticChannels } from '../diagnostics/channels.js';
import type {
  ConsumerDeliverPayload,
  ConsumerProcessPayload,
  HandOver,
  TracedRecord,
} from '../diagnostics/payloads.js';
import { beginProcess, type TraceIdentity } from '../diagnostics/process-trace.js';

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

/**
 * One iterator step, traced (call only when {@link consumerTraced}): `advance()` inside its
 * `vltava:consumer:deliver` trace and, when `traceProcess` is true and somebody subscribes, the
 * `vltava:consumer:process` trace of what it handed over, given to `opened`: the iterator keeps it open until its
 * next step, `return()` or `throw()`.
 */
export function traceStep<T>(
  identity: TraceIdentity,
  handOver: HandOver,
  advance: () => Promise<IteratorResult<T, undefined>>,
  recordsOf: (value: T) => readonly TracedRecord[],
  traceProcess: boolean,
  opened: (payload: ConsumerProcessPayload) => void,
): Promise<IteratorResult<T, undefined>> {
  const delivered = traceDeliver(identity, handOver, advance, (result) =>
    result.done === true ? NO_RECORDS : recordsOf(result.value),
  );
  if (!traceProcess || !diagnosticChannels.consumerProcess.hasSubscribers) return delivered;
  return delivered.then((result) => {
    if (result.done !== true) opened(beginProcess(identity, recordsOf(result.value)));
    return result;
  });
}
