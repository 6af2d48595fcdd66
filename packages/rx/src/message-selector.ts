import { InvalidArgumentError } from '@vltava/core';
import { KafkaMessage } from './kafka-message.js';

/** The message(s) an emission stands for, or `undefined` / `[]` when it stands for none. */
export type MessageSelection = KafkaMessage<unknown, unknown> | readonly KafkaMessage<unknown, unknown>[] | undefined;

/** Finds the {@link KafkaMessage}(s) in an emission, for the operators that acknowledge or commit. */
export type MessageSelector<T> = (value: T) => MessageSelection;

/**
 * The default selector: a {@link KafkaMessage} itself, an array of them (from `bufferCount`, `bufferTime`, ...), or
 * either of those as the `source` of a result (what `sendTo` emits).
 *
 * @throws InvalidArgumentError when the emission holds no message this way: pass a selector then.
 */
export function defaultMessageSelector(value: unknown): MessageSelection {
  const found = direct(value);
  if (found !== undefined) return found;
  if (typeof value === 'object' && value !== null && 'source' in value) {
    const inner = direct((value as { source: unknown }).source);
    if (inner !== undefined) return inner;
  }
  throw new InvalidArgumentError(
    `Cannot find the KafkaMessage in an emission (${describe(value)}): emit the message, an array of messages, or ` +
      'a result whose `source` is one, or pass a `message` selector that returns the message(s) of a value',
  );
}

/** Calls `visit` for each message of a selection. */
export function forEachMessage(
  selection: MessageSelection,
  visit: (message: KafkaMessage<unknown, unknown>) => void,
): void {
  if (selection === undefined) return;
  if (selection instanceof KafkaMessage) {
    visit(selection);
    return;
  }
  for (const message of selection) visit(message);
}

function direct(value: unknown): MessageSelection {
  if (value instanceof KafkaMessage) return value;
  if (Array.isArray(value) && value.every((item) => item instanceof KafkaMessage)) {
    return value as KafkaMessage<unknown, unknown>[];
  }
  return undefined;
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (typeof value !== 'object') return typeof value;
  const name = (value as object).constructor?.name;
  return name === undefined || name === 'Object' ? 'an object' : `a ${name}`;
}
