import { ConfigError, InvalidArgumentError } from '../errors/client-errors.js';
import type { KafkaError } from '../errors/kafka-error.js';
import { suggestOption } from './option-names.js';
import { listWords, type OptionsSchema } from './option-rules.js';

/**
 * Whose options an object holds, which decides the error class: `'config'` for the settings of a client (the
 * object given to `new Producer`, `new Consumer`, `new Admin`), checked when it is created and rejected with
 * `ConfigError`; `'call'` for the options of one method or function call (`poll`, `flush`, an admin call, `sendTo`,
 * `createReadStream`, ...), rejected with `InvalidArgumentError`.
 */
export type OptionsKind = 'config' | 'call';

/** How a value reads in a message: `-1`, `'abc'`, `null`, `a function`, `an array`. A secret shows its type only. */
export function describeValue(value: unknown, secret = false): string {
  if (value === null || value === undefined) return String(value);
  if (secret) return typeof value === 'object' ? 'an object' : `a ${typeof value}`;
  switch (typeof value) {
    case 'string':
      return value.length > 60 ? `'${value.slice(0, 57)}...'` : `'${value}'`;
    case 'number':
    case 'boolean':
      return String(value);
    case 'bigint':
      return `${value}n`;
    case 'function':
      return 'a function';
    case 'symbol':
      return 'a symbol';
    default:
      if (Array.isArray(value)) return 'an array';
      if (value instanceof RegExp) return String(value);
      {
        const name = (value as object).constructor?.name;
        return name === undefined || name === 'Object' ? 'an object' : `a ${name}`;
      }
  }
}

/**
 * Checks an options object against its schema and throws at the first problem, with a message that says what is
 * wrong, where and what to do:
 *
 * - an unknown key, with the closest known option or the name ours has for another client's setting:
 *   `Unknown producer option 'ackss'; did you mean 'acks'?`,
 *   `Unknown consumer option 'max.poll.records': that is the Java name; use maxPollRecords`;
 * - a value its rule does not accept: `Invalid producer option: lingerMs must be a non-negative integer up to
 *   2147483647, got -1`;
 * - a required option left out: `Missing producer option: brokers is required (...)`.
 *
 * Nested option objects (`sasl`) are checked the same way, their keys named with their path (`sasl.username`).
 * Only own enumerable keys count; a key whose value is `undefined` must still be known. `undefined` options count
 * as `{}`. The check costs a loop over the keys given, with no allocation unless it throws.
 *
 * @param options the object the caller passed (anything: JavaScript callers are checked too).
 * @param schema the known keys and their rules, declared with `satisfies OptionsSchema<TheOptions>`.
 * @param where whose options they are, as messages name them: `producer`, `consumer.poll()`, `sendTo()`.
 * @param kind `'config'` throws `ConfigError`, `'call'` throws `InvalidArgumentError`.
 * @throws ConfigError or InvalidArgumentError (see `kind`).
 */
export function checkOptions(options: unknown, schema: OptionsSchema, where: string, kind: OptionsKind): void {
  const value = options === undefined ? {} : options;
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw optionsError(kind, `The ${where} options must be an object, got ${describeValue(options)}`);
  }
  checkObject(value as Record<string, unknown>, schema, where, '', kind);
}

function optionsError(kind: OptionsKind, message: string): KafkaError {
  return kind === 'config' ? new ConfigError(message) : new InvalidArgumentError(message);
}

function checkObject(
  options: Record<string, unknown>,
  schema: OptionsSchema,
  where: string,
  prefix: string,
  kind: OptionsKind,
): void {
  for (const key in options) {
    if (!Object.hasOwn(options, key)) continue;
    const rule = Object.hasOwn(schema, key) ? schema[key] : undefined;
    if (rule === undefined) throw optionsError(kind, unknownOptionMessage(key, schema, where, prefix));
    const value = options[key];
    if (value === undefined) continue;
    if (!rule.test(value)) {
      throw optionsError(
        kind,
        `Invalid ${where} option: ${prefix}${key} must be ${rule.expected}, got ${describeValue(value, rule.secret)}`,
      );
    }
    const nested = rule.nested?.(value);
    if (nested !== undefined) checkObject(value as Record<string, unknown>, nested, where, `${prefix}${key}.`, kind);
  }
  for (const key in schema) {
    const rule = schema[key]!;
    if (rule.required === true && options[key] === undefined) {
      throw optionsError(kind, `Missing ${where} option: ${prefix}${key} is required (${rule.expected})`);
    }
  }
}

/** The message for an unknown key: the key, where, and the closest known option or the known options. */
export function unknownOptionMessage(key: string, schema: OptionsSchema, where: string, prefix = ''): string {
  const known = Object.keys(schema);
  const hint = suggestOption(key, known, prefix);
  const head = `Unknown ${where} option '${prefix}${key}'`;
  if (hint !== undefined) return `${head}${hint}`;
  if (/[._]/.test(key)) {
    return `${head}: options are camelCase here (linger.ms is lingerMs) and no ${where} option matches this one; remove it`;
  }
  if (known.length <= 8) {
    return `${head}; the ${where} options are ${listWords(
      known.map((name) => `'${prefix}${name}'`),
      'and',
    )}`;
  }
  return `${head}; no ${where} option has a similar name: remove it`;
}
