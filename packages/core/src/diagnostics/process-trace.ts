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

/** A `vltava:consumer:process` payload for `records`, not published yet (check `hasSubscribers` first). */
export function processPayload(identity: TraceIdentity, records: readonly TracedRecord[]): ConsumerProcessPayload {
  return {
    clientId: identity.clientId,
    groupId: identity.groupId,
    groupKind: identity.groupKind,
    records,
    runInContext: undefined,
    abandoned: undefined,
  };
}

/** Opens the `vltava:consumer:process` trace of `records` (check `hasSubscribers` first). */
export function beginProcess(identity: TraceIdentity, records: readonly TracedRecord[]): ConsumerProcessPayload {
  const payload = processPayload(identity, records);
  diagnosticChannels.consumerProcess.begin(payload);
  return payload;
}

/** Closes a process trace: processing ended, with `error` when it failed. */
export function endProcess(payload: ConsumerProcessPayload, error?: unknown): void {
  diagnosticChannels.consumerProcess.settle(payload, error);
}

/**
 * Closes a process trace whose processing the library will never see end (the subscription ended, the partition
 * was revoked, the stream was destroyed, the message was dropped): sets `abandoned` to `why`, with no `error`.
 */
export function abandonProcess(payload: ConsumerProcessPayload, why: string): void {
  payload.abandoned = why;
  diagnosticChannels.consumerProcess.settle(payload, undefined);
}

/**
 * Opens the `vltava:consumer:process` trace of `payload` (made by {@link processPayload}) and hands its records to
 * the application (`deliver(value)`) in it: `start` is published through Node's `start.runStores` (stores bound
 * with `bindStore` are active in the call), and the call goes through `runInContext` when a subscriber set it.
 * Check `hasSubscribers` first. Keep the payload where the end of processing will find it *before* calling this:
 * the application may finish processing inside `deliver` (a synchronous acknowledgement, a stage that settles).
 * Close the trace with {@link endProcess} (or {@link abandonProcess}).
 */
export function processWith<A>(
  payload: ConsumerProcessPayload,
  deliver: (value: A) => void,
  value: A,
): ConsumerProcessPayload {
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
