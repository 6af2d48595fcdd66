import type { Logger } from '../utils/logger.js';
import { formatPartition } from '../vocabulary/topic-partition.js';
import { FetchOffsetOutOfRangeError, LogTruncationError, NoOffsetForPartitionError } from './consumer-errors.js';
import type { AutoOffsetReset } from './consumer-options.js';
import type { PartitionState } from './partition-state.js';

/**
 * What `autoOffsetReset` decides when a partition's position is lost, in one place for the fetcher (which learns of
 * out-of-range offsets and divergence from fetch responses) and the position updater (no committed offset, a
 * validation that found truncation): `earliest`/`latest` ask for a reset (or, after truncation, resume at the first
 * offset known to diverge); `none` fails the partition with the error that says what happened, raised to the
 * application until it seeks.
 */
export class OffsetResetPolicy {
  /** The configured `autoOffsetReset`. */
  readonly strategy: AutoOffsetReset;
  private readonly logger: Logger;

  constructor(strategy: AutoOffsetReset, logger: Logger) {
    this.strategy = strategy;
    this.logger = logger;
  }

  /** The partition has no committed offset to start from (or the leader knows nothing of its position). */
  noOffset(state: PartitionState): void {
    if (this.strategy === 'none') {
      state.fail(
        new NoOffsetForPartitionError(
          `${formatPartition(state)} has no committed offset and autoOffsetReset is 'none'; seek the partition ` +
            '(seek, seekToBeginning, seekToEnd) to choose where to start',
          { topic: state.topic, partition: state.partition },
        ),
      );
      return;
    }
    state.requestReset(this.strategy);
  }

  /** The leader says the fetch offset is out of range. */
  outOfRange(state: PartitionState): void {
    const offset = state.fetchOffset;
    if (this.strategy === 'none') {
      state.fail(
        new FetchOffsetOutOfRangeError(
          `Fetch offset ${offset} of ${formatPartition(state)} is out of range and autoOffsetReset is 'none'; seek ` +
            'the partition to continue',
          { topic: state.topic, partition: state.partition, offset },
        ),
      );
      return;
    }
    this.logger.info('fetch offset out of range; resetting', {
      topic: state.topic,
      partition: state.partition,
      offset,
      strategy: this.strategy,
    });
    state.requestReset(this.strategy);
  }

  /**
   * The leader reported a divergence (Fetch v12+ `DivergingEpoch`): below the position it is a truncation; at or
   * above it only prefetched records are affected, which are fetched again.
   */
  diverged(state: PartitionState, epoch: number, endOffset: bigint): void {
    if (endOffset < state.position) this.truncated(state, endOffset, epoch);
    else state.rewindFetch();
  }

  /** The leader's log ends at `divergentOffset` in `divergentEpoch`, below the position: records were lost. */
  truncated(state: PartitionState, divergentOffset: bigint, divergentEpoch: number): void {
    const position = state.position;
    if (this.strategy === 'none') {
      state.fail(
        new LogTruncationError(
          `The log of ${formatPartition(state)} was truncated to offset ${divergentOffset} below the consumer's ` +
            `position ${position} (an unclean leader election lost records); seek to continue`,
          { topic: state.topic, partition: state.partition, offset: position, divergentOffset },
        ),
      );
      return;
    }
    this.logger.warn('log truncation detected; resuming from the first offset known to diverge', {
      topic: state.topic,
      partition: state.partition,
      position,
      divergentOffset,
    });
    state.seek(divergentOffset, divergentEpoch);
  }
}
