import { metricValue, type Producer } from '@vltava/core';
import { filter, type OperatorFunction, pipe, scan } from 'rxjs';
import type { OffsetCommit } from '../../src/index.js';

/** The value of one of a producer's counters or gauges (`vltava_producer_requests_total`, ...). */
export function producerMetric(producer: Producer<string, string>, name: string): number {
  return metricValue(producer.metrics(), name) ?? Number.NaN;
}

/**
 * Folds `commitOffsets`' commits into the committed offset of each partition (`topic:partition`) and passes the
 * offsets on once every one of `partitions` reached `end`.
 */
export function untilCommitted(
  partitions: readonly string[],
  end: bigint,
): OperatorFunction<OffsetCommit, Record<string, bigint>> {
  return pipe(
    scan((offsets: Record<string, bigint>, commit: OffsetCommit) => {
      if (commit.dropped !== undefined) return offsets;
      const next = { ...offsets };
      for (const o of commit.offsets) next[`${o.topic}:${o.partition}`] = o.offset;
      return next;
    }, {}),
    filter((offsets) => partitions.every((p) => offsets[p] === end)),
  );
}
