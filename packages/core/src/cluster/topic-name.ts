import { InvalidTopicError } from '../errors/broker-errors.generated.js';
import type { ErrorContext } from '../errors/kafka-error.js';

/** Longest legal topic name (Kafka: `Topic.MAX_NAME_LENGTH`). */
export const MAX_TOPIC_NAME_LENGTH = 249;

const LEGAL = /^[a-zA-Z0-9._-]+$/;

/**
 * Why `name` is not a legal Kafka topic name, or `undefined` when it is. Kafka's rules (`Topic.validate`): not
 * empty, not `.` or `..`, at most 249 characters, only ASCII letters, digits, `.`, `_` and `-`.
 */
export function topicNameProblem(name: unknown): string | undefined {
  if (typeof name !== 'string') return `a topic name must be a string, got ${name === null ? 'null' : typeof name}`;
  if (name.length === 0) return 'a topic name cannot be empty';
  if (name === '.' || name === '..') return `'${name}' is not a legal topic name`;
  if (name.length > MAX_TOPIC_NAME_LENGTH) {
    return `topic name '${name.slice(0, 40)}...' is ${name.length} characters long; at most ${MAX_TOPIC_NAME_LENGTH} are allowed`;
  }
  if (!LEGAL.test(name)) {
    const bad = [...new Set([...name].filter((c) => !LEGAL.test(c)))].map((c) => JSON.stringify(c)).join(', ');
    return `topic name '${name}' contains ${bad}; only ASCII letters, digits, '.', '_' and '-' are allowed`;
  }
  return undefined;
}

/**
 * Throws `InvalidTopicError` (Kafka's INVALID_TOPIC_EXCEPTION, not retriable) when `name` is not a legal topic name,
 * before anything is sent, as the Java client does. `where` names the call for the message (`send`, `subscribe`).
 */
export function checkTopicName(name: unknown, where: string, context: ErrorContext = {}): asserts name is string {
  const problem = topicNameProblem(name);
  if (problem === undefined) return;
  throw new InvalidTopicError({
    ...context,
    ...(typeof name === 'string' ? { topic: name.slice(0, MAX_TOPIC_NAME_LENGTH) } : {}),
    reason: `${where}: ${problem}`,
  });
}
