/**
 * The topics of the NestJS example. NestJS's Kafka transport names topics after message patterns, and decorators
 * read their patterns when the classes load; a prefix unique to the run keeps runs apart on a shared cluster.
 */
import { uniqueName } from '../support/run-example.js';

const prefix = process.env.NEST_EXAMPLE_PREFIX || uniqueName('nest');

/** Request/reply: the server answers with the sum of the numbers. */
export const SUM = `${prefix}.math.sum`;
/** Request/reply: the server answers with a quotient, or an error for a division by zero. */
export const DIVIDE = `${prefix}.math.divide`;
/** Events: the server records each one; nothing is answered. */
export const AUDIT = `${prefix}.audit`;
/** Group id base (NestJS appends `-server` and `-client`). */
export const GROUP = `${prefix}-math`;
/** Every topic the example uses: the patterns and NestJS's reply topics (`<pattern>.reply`). */
export const ALL_TOPICS = [SUM, `${SUM}.reply`, DIVIDE, `${DIVIDE}.reply`, AUDIT];
