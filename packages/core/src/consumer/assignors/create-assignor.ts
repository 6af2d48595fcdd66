import { ConfigError } from '../../errors/index.js';
import { CooperativeStickyAssignor } from './cooperative-sticky-assignor.js';
import { RangeAssignor } from './range-assignor.js';
import { RoundRobinAssignor } from './round-robin-assignor.js';
import { StickyAssignor } from './sticky-assignor.js';

/** Names of the built-in assignors, as `partition.assignment.strategy` knows them in the Java client. */
export const BUILT_IN_ASSIGNORS = ['range', 'roundrobin', 'sticky', 'cooperative-sticky'] as const;

/** Name of a built-in assignor. */
export type BuiltInAssignorName = (typeof BUILT_IN_ASSIGNORS)[number];

/** A built-in assignor: its `assign` returns the assignment directly, never a Promise. */
export type BuiltInAssignor = RangeAssignor | RoundRobinAssignor | StickyAssignor | CooperativeStickyAssignor;

/**
 * Creates a new instance of a built-in assignor by name (Java: the classes listed in
 * `partition.assignment.strategy`; its default is `range` then `cooperative-sticky`). Each consumer needs its own
 * instance: `sticky` keeps state between rebalances.
 *
 * @throws ConfigError for any other name, listing the valid ones.
 */
export function createAssignor(name: string): BuiltInAssignor {
  switch (name) {
    case 'range':
      return new RangeAssignor();
    case 'roundrobin':
      return new RoundRobinAssignor();
    case 'sticky':
      return new StickyAssignor();
    case 'cooperative-sticky':
      return new CooperativeStickyAssignor();
    default:
      throw new ConfigError(
        `Unknown partition assignor "${name}"; use one of ${BUILT_IN_ASSIGNORS.join(', ')}, or pass your own ` +
          'PartitionAssignor object',
      );
  }
}
