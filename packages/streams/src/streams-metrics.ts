import type { Metric } from '@vltava/core';

/** Processed records that came too late to be committed, by group id. */
const uncommitted = new Map<string, number>();
/** Records still in flight when a drain ran out of time, by group id. */
const undrained = new Map<string, number>();

/** Counts processed records (chunks that reached a committer) that could no longer be committed. */
export function countUncommittedRecords(group: string, count: number): void {
  uncommitted.set(group, (uncommitted.get(group) ?? 0) + count);
}

/** Counts records still in flight when `drainTimeoutMs` ran out. */
export function countUndrainedRecords(group: string, count: number): void {
  undrained.set(group, (undrained.get(group) ?? 0) + count);
}

/**
 * The stream layer's metrics, in the shape of the core clients' `metrics()` (Prometheus and OpenTelemetry exporters
 * read it; see core's `toPrometheusText`). Counters for the whole process, labelled by consumer group:
 *
 * - `vltava_streams_records_undrained_total`: records handed out and not at the committer when the read stream was
 *   destroyed and `drainTimeoutMs` ran out. They are read again.
 * - `vltava_streams_acknowledgements_uncommitted_total`: records that reached a committer after its consumer's
 *   session had closed (or whose partition was no longer the consumer's when they were committed). They are not
 *   committed by this pipeline and are read again: at-least-once, and the reason is here, never silent.
 */
export function metrics(): Metric[] {
  const list: Metric[] = [];
  for (const [group, value] of undrained) {
    list.push({
      name: 'vltava_streams_records_undrained_total',
      type: 'counter',
      help: 'Records in flight when the read stream was destroyed and drainTimeoutMs ran out',
      unit: 'records',
      labels: { group },
      value,
    });
  }
  for (const [group, value] of uncommitted) {
    list.push({
      name: 'vltava_streams_acknowledgements_uncommitted_total',
      type: 'counter',
      help: 'Records that reached a committer after they could no longer be committed',
      unit: 'records',
      labels: { group },
      value,
    });
  }
  return list;
}
