import { diagnosticChannels } from '../../diagnostics/channels.js';
import type { RebalancePayload, TracedPartition } from '../../diagnostics/payloads.js';

/** What a traced rebalance did, gathered by the rebalance handler while the trace is open. */
export interface RebalanceRecording {
  readonly assigned: TracedPartition[];
  readonly revoked: TracedPartition[];
  readonly lost: TracedPartition[];
}

/** The part of the rebalance handler a trace uses: where it records what the rebalance did. */
export interface RecordingHandler {
  /** `client.id` of the consumer. */
  readonly clientId: string;
  /** Set while a traced rebalance runs: the handler adds the partitions it assigns, revokes and loses. */
  recording: RebalanceRecording | undefined;
}

/** Who is rebalancing. */
export interface RebalancingMember {
  readonly protocol: RebalancePayload['protocol'];
  readonly groupId: string;
  readonly memberId: string;
  /** The generation (classic) or epoch (KIP-848, share) once the rebalance is over. */
  generation(): number;
}

/**
 * Runs one rebalance (`run`) traced on `vltava:rebalance` when the channel has a subscriber: `start` now, the
 * partitions assigned, revoked and lost (recorded by `handler`) and the new generation when it settles.
 */
export async function traceRebalance(
  handler: RecordingHandler,
  member: RebalancingMember,
  run: () => Promise<void>,
): Promise<void> {
  const channel = diagnosticChannels.rebalance;
  if (!channel.hasSubscribers || handler.recording !== undefined) return run();
  const payload: RebalancePayload = {
    clientId: handler.clientId,
    groupId: member.groupId,
    protocol: member.protocol,
    memberId: member.memberId,
  };
  const recording: RebalanceRecording = { assigned: [], revoked: [], lost: [] };
  handler.recording = recording;
  channel.begin(payload);
  try {
    await run();
  } catch (error) {
    handler.recording = undefined;
    channel.settle(payload, error);
    throw error;
  }
  handler.recording = undefined;
  channel.settle(payload, undefined, { ...recording, generation: member.generation() });
}

/** Adds `partitions` to a recording's list (a copy of each, topic and partition only). */
export function record(list: TracedPartition[] | undefined, partitions: readonly TracedPartition[]): void {
  if (list === undefined) return;
  for (const tp of partitions) list.push({ topic: tp.topic, partition: tp.partition });
}
