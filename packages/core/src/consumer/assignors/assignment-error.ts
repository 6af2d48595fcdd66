import { describeContext, KafkaError, type KafkaErrorOptions } from '../../errors/index.js';

/**
 * A partition assignment breaks the rules of the consumer group protocol: a partition given to two members, to a
 * member not subscribed to its topic or not in the group, or (cooperative protocol, KIP-429) handed to a member
 * while another member still owns it. Raised by the consumer's check of an assignment when a custom assignor
 * returns such an assignment, and by the built-in assignors if they ever fail their own invariants (a bug to report). Not
 * retriable: the same input gives the same assignment.
 */
export class AssignmentError extends KafkaError {
  constructor(message: string, options: KafkaErrorOptions = {}) {
    super(`${message}${describeContext(options)}`, 'ERR_ASSIGNMENT', false, options);
  }
}
