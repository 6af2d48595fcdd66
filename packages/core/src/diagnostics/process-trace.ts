import { diagnosticChannels } from './channels.js';
import type { ConsumerProcessPayload, GroupKind, TracedRecord } from './payloads.js';

/** Who a consumer's `vltava:consumer:*` payloads are about. */
export interface TraceIdentity {
  /** `client.id`. */
  readonly clientId: string;
  /** `group.id` (or the share group), or `undefined` without a group. */
  readonly groupId: string | undefined;
  /** Consumer group or share group. */
  readonly groupKind: GroupKind;
}

/** Opens the `vltava:consumer:process` trace of `records` (check `hasSubscribers` first). */
export function beginProcess(identity: TraceIdentity, records: readonly TracedRecord[]): ConsumerProcessPayload {
  const payload: ConsumerProcessPayload = {
    clientId: identity.clientId,
    groupId: identity.groupId,
    groupKind: identity.groupKind,
    records,
    runInContext: undefined,
  };
  diagnosticChannels.consumerProcess.begin(payload);
  return payload;
}

/** Closes a process trace: processing ended, with `error` when it failed. */
export function endProcess(payload: ConsumerProcessPayload, error?: unknown): void {
  diagnosticChannels.consumerProcess.settle(payload, error);
}

/**
 * Opens the `vltava:consumer:process` trace of `records` and hands them to the application (`deliver(value)`) in
 * it: `start` is published through Node's `start.runStores` (stores bound with `bindStore` are active in the call),
 * and the call goes through `runInContext` when a subscriber set it. Check `hasSubscribers` first; close the trace
 * with {@link endProcess} when processing ends (an acknowledgement, a write callback).
 */
export function processIn<A>(
  identity: TraceIdentity,
  records: readonly TracedRecord[],
  deliver: (value: A) => void,
  value: A,
): ConsumerProcessPayload {
  const payload: ConsumerProcessPayload = {
    clientId: identity.clientId,
    groupId: identity.groupId,
    groupKind: identity.groupKind,
    records,
    runInContext: undefined,
  };
  const channel = diagnosticChannels.consumerProcess.channel;
  try {
    channel.start.runStores(payload, () => {
      const run = payload.runInContext;
      if (run === undefined) deliver(value);
      else run(() => deliver(value));
    });
  } finally {
    channel.end.publish(payload);
  }
  return payload;
}
