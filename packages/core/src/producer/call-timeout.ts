import { KafkaTimeoutError } from '../errors/client-errors.js';
import { settleBy } from '../utils/deadline.js';

/**
 * Settles with `work`, or rejects with `KafkaTimeoutError` naming the call (`what`) once `deadline` passes; with
 * no deadline, `work` itself. For the producer's calls that take a timeout (`flush`, `close`, the transaction
 * calls bounded by `maxBlockMs`): the work goes on in the background.
 */
export function withinTimeout<T>(work: Promise<T>, deadline: number | undefined, what: string): Promise<T> {
  if (deadline === undefined) return work;
  return settleBy(work, deadline, () => new KafkaTimeoutError(`${what} did not complete within its timeout`));
}
