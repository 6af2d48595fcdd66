/**
 * What an option accepts, declared as data: each options interface of the public API has a schema listing every key
 * once with the rule its value must follow (see `checkOptions`). The builders in {@link optionRules} cover what
 * Kafka settings need: bounded integers, enums, booleans, strings, functions, signals, nested option objects.
 */

/** Largest value of a Java `int` setting, and of a Node.js timer: `2147483647`. */
export const INT32_MAX = 2_147_483_647;

/** What one option accepts. Build rules with {@link optionRules}. */
export interface OptionRule {
  /** What the option accepts, worded for a message: `a positive integer`, `true or false`, `one of 'a', 'b'`. */
  readonly expected: string;
  /** True when the value is acceptable. Never called with `undefined`: an option left out takes its default. */
  test(value: unknown): boolean;
  /** The option must be given (and not `undefined`). */
  readonly required?: boolean;
  /** The value is a secret (a password): messages show its type, never the value. */
  readonly secret?: boolean;
  /**
   * For a value that is itself an options object: the schema its keys are checked against (the keys a SASL
   * mechanism takes, say), or `undefined` to leave its keys unchecked. Called once `test` passed.
   */
  nested?(value: unknown): OptionsSchema | undefined;
}

/**
 * The known keys of an options object, each with its rule. Declare a schema with `satisfies OptionsSchema<T>`
 * against the options interface `T`: a key of `T` left out of the schema, or a key the interface does not have, is
 * then a type error, so that the schema cannot drift from the interface.
 *
 * @typeParam T the options interface the schema describes.
 */
export type OptionsSchema<T = Record<string, unknown>> = { readonly [K in keyof T]-?: OptionRule };

function rule(expected: string, test: (value: unknown) => boolean): OptionRule {
  return { expected, test };
}

function integerWords(min: number, max: number): string {
  const upTo = max < Number.MAX_SAFE_INTEGER ? ` up to ${max}` : '';
  if (min === 0) return `a non-negative integer${upTo}`;
  if (min === 1) return `a positive integer${upTo}`;
  return max < Number.MAX_SAFE_INTEGER ? `an integer from ${min} to ${max}` : `an integer from ${min} up`;
}

function literal(value: unknown): string {
  return typeof value === 'string' ? `'${value}'` : String(value);
}

/** Joins words as prose: `a`, `a or b`, `a, b or c`. */
export function listWords(words: readonly string[], conjunction = 'or'): string {
  if (words.length <= 1) return words.join('');
  return `${words.slice(0, -1).join(', ')} ${conjunction} ${words[words.length - 1]}`;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Builders of {@link OptionRule}s. */
export const optionRules = {
  /** An integer from `min` to `max` (both included). */
  integer(min: number, max: number = Number.MAX_SAFE_INTEGER): OptionRule {
    return rule(integerWords(min, max), (v) => Number.isInteger(v) && (v as number) >= min && (v as number) <= max);
  },

  /** A finite number of at least `min` (above it when `exclusive`), and at most `max`. */
  number(min: number, max: number = Number.MAX_SAFE_INTEGER, exclusive = false): OptionRule {
    const upTo = max < Number.MAX_SAFE_INTEGER ? ` up to ${max}` : '';
    return rule(
      `a number ${exclusive ? '>' : '>='} ${min}${upTo}`,
      (v) => typeof v === 'number' && Number.isFinite(v) && (exclusive ? v > min : v >= min) && v <= max,
    );
  },

  /** `true` or `false`. */
  boolean: rule('true or false', (v) => typeof v === 'boolean'),

  /** A `bigint` (a Kafka int64: offsets, producer ids). */
  bigint: rule('a bigint', (v) => typeof v === 'bigint'),

  /** A string; a non-empty one with `nonEmpty`. */
  string(nonEmpty = false): OptionRule {
    return nonEmpty
      ? rule('a non-empty string', (v) => typeof v === 'string' && v !== '')
      : rule('a string', (v) => typeof v === 'string');
  },

  /** One of the given values (compared with `===`). */
  oneOf(...values: readonly unknown[]): OptionRule {
    return rule(`one of ${listWords(values.map(literal))}`, (v) => values.includes(v));
  },

  /** A function; `signature` says which, as in `a function (data, topic) => Buffer`. */
  function(signature?: string): OptionRule {
    return rule(signature === undefined ? 'a function' : `a function ${signature}`, (v) => typeof v === 'function');
  },

  /** An object with the given methods (a logger, a scheduler), described as `expected`. */
  withMethods(expected: string, ...methods: readonly string[]): OptionRule {
    return rule(expected, (v) => isObject(v) && methods.every((m) => typeof v[m] === 'function'));
  },

  /** Any object that is not an array or null, described as `expected`. */
  object(expected: string): OptionRule {
    return rule(expected, isObject);
  },

  /** An `AbortSignal`. */
  signal: rule('an AbortSignal', (v) => isObject(v) && typeof v.aborted === 'boolean' && 'addEventListener' in v),

  /** A regular expression. */
  regExp: rule('a RegExp', (v) => v instanceof RegExp),

  /** An array whose every element follows `element`; `expected` overrides the generated words. */
  arrayOf(element: OptionRule, expected?: string): OptionRule {
    return rule(
      expected ?? `an array of ${element.expected.replace(/^(a|an) /, '')}s`,
      (v) => Array.isArray(v) && v.every((e) => e !== undefined && element.test(e)),
    );
  },

  /** A value any of `rules` accepts. */
  anyOf(...rules: readonly OptionRule[]): OptionRule {
    const nested = rules.find((r) => r.nested !== undefined);
    return {
      expected: listWords(rules.map((r) => r.expected)),
      test: (v) => rules.some((r) => r.test(v)),
      ...(nested === undefined ? {} : { nested: (v: unknown) => (nested.test(v) ? nested.nested!(v) : undefined) }),
    };
  },

  /** `base`, with its accepted values described as `expected`. */
  describedAs(expected: string, base: OptionRule): OptionRule {
    return { ...base, expected };
  },

  /** `base`, and the option must be given. */
  required(base: OptionRule): OptionRule {
    return { ...base, required: true };
  },

  /** `base`, for a secret value: messages never show it. */
  secret(base: OptionRule): OptionRule {
    return { ...base, secret: true };
  },

  /** An options object (a non-array object) whose keys are checked against the schema `schemaFor` returns. */
  options(expected: string, schemaFor: (value: Record<string, unknown>) => OptionsSchema | undefined): OptionRule {
    return { expected, test: isObject, nested: (v) => schemaFor(v as Record<string, unknown>) };
  },

  /**
   * An object of callbacks (a rebalance listener): written as an object literal, its keys are checked against
   * `schema`, so that a misspelt callback is not ignored in silence; an instance of a class may hold other members
   * and is taken as it is.
   */
  callbacks(expected: string, schema: OptionsSchema): OptionRule {
    return {
      expected,
      test: isObject,
      nested: (v) => {
        const proto = Object.getPrototypeOf(v) as unknown;
        return proto === Object.prototype || proto === null ? schema : undefined;
      },
    };
  },
} as const;
