/**
 * Client-side partition assignors of the classic consumer group protocol.
 *
 * @module
 */

export type { TopicPartition } from '../../vocabulary/topic-partition.js';
export { AssignmentError } from './assignment-error.js';
export { validateAssignment } from './assignment-validation.js';
export { CooperativeStickyAssignor } from './cooperative-sticky-assignor.js';
export {
  BUILT_IN_ASSIGNORS,
  type BuiltInAssignor,
  type BuiltInAssignorName,
  createAssignor,
} from './create-assignor.js';
export type * from './partition-assignor.js';
export { RangeAssignor } from './range-assignor.js';
export { RoundRobinAssignor } from './round-robin-assignor.js';
export { StickyAssignor } from './sticky-assignor.js';
export {
  decodeCooperativeStickyUserData,
  decodeStickyUserData,
  encodeCooperativeStickyUserData,
  encodeStickyUserData,
  type StickyUserData,
} from './sticky-user-data.js';
