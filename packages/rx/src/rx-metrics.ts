import type { Metric } from '@vltava/core';

/** Acknowledgements that came too late to be committed, by group id. */
const uncommitted = new Map<string, number>();
/** Records still unacknowledged when a drain ran out of time, by group id. */
const undrained = new Map<string, number>();

/** Counts acknowledgements that came after their records could no longer be committed. */
export function countUncommittedAcknowledgements(group: string, count: number): void {
  uncommitted.set(group, (uncommitted.get(group) ?? 0) + count);
}

/** Counts records still unacknowledged when `drainTimeoutMs` ran out. */
export function countUndrainedRecords(group: string, count: number): void {
  undrained.set(group, (undrained.get(group) ?? 0) + count);
}

/**
 * The Rx layer's metrics, in the shape of the core clients' `metrics()` (Prometheus and OpenTelemetry exporters read
 * it; see core's `toPrometheusText`). Counters for the whole process, labelled by consumer group (`group` is empty
 * for a consumer without one):
 *
 * - `vltava_rx_records_undrained_total`: records emitted and still unacknowledged when a subscription ended, or
 *   their partition was revoked, and `drainTimeoutMs` ran out. They are read again (by this member or the one that
 *   owns the partition now).
 * - `vltava_rx_acknowledgements_uncommitted_total`: acknowledgements that came after that point. Their records are
 *   not committed by this source and are read again: at-least-once, and the reason is here, never silent.
 */
export function metrics(): Metric[] {
  const list: Metric[] = [];
  for (const [group, value] of undrained) {
    list.push({
      name: 'vltava_rx_records_undrained_total',
      type: 'counter',
      help: 'Records emitted and unacknowledged when drainTimeoutMs ran out (at unsubscribe or revocation)',
      unit: 'records',
      labels: { group },
      value,
    });
  }
  for (const [group, value] of uncommitted) {
    list.push({
      name: 'vltava_rx_acknowledgements_uncommitted_total',
      type: 'counter',
      help: 'Acknowledgements that came after their records could no longer be committed',
      unit: 'records',
      labels: { group },
      value,
    });
  }
  return list;
}
