import { describe, expect, it } from 'vitest';
import { ConfigError, InvalidArgumentError } from '../errors/client-errors.js';
import { checkOptions, describeValue } from './check-options.js';
import { type OptionsSchema, optionRules as r } from './option-rules.js';

interface Example {
  readonly acks?: 0 | 1 | 'all';
  readonly lingerMs?: number;
  readonly name: string;
  readonly auth?: { readonly user: string; readonly password: string };
}

const schema = {
  acks: r.oneOf(0, 1, 'all'),
  lingerMs: r.integer(0, 1000),
  name: r.required(r.string(true)),
  auth: r.options('credentials', () => ({
    user: r.required(r.string(true)),
    password: r.required(r.secret(r.string())),
  })),
} satisfies OptionsSchema<Example>;

const check =
  (options: unknown, kind: 'config' | 'call' = 'config') =>
  () =>
    checkOptions(options, schema, 'example', kind);

describe('checkOptions', () => {
  it('accepts known keys with good values, and undefined values', () => {
    expect(check({ name: 'a', acks: 'all', lingerMs: 0, auth: { user: 'u', password: 'p' } })).not.toThrow();
    expect(check({ name: 'a', acks: undefined })).not.toThrow();
  });

  it('rejects an unknown key naming it, where, and the closest known one', () => {
    expect(check({ name: 'a', ackss: 1 })).toThrow(ConfigError);
    expect(check({ name: 'a', ackss: 1 })).toThrow("Unknown example option 'ackss'; did you mean 'acks'?");
    // Even when its value is undefined: a misspelt key is a mistake whatever it holds.
    expect(check({ name: 'a', ackss: undefined })).toThrow(/'ackss'/);
  });

  it('lists the known options of a small object when nothing is close', () => {
    expect(check({ name: 'a', zzzzzz: 1 })).toThrow(
      "Unknown example option 'zzzzzz'; the example options are 'acks', 'lingerMs', 'name' and 'auth'",
    );
  });

  it('says how options are spelt here when a Java-style name matches none', () => {
    expect(check({ name: 'a', 'receive.buffer.bytes': 1 })).toThrow(
      "Unknown example option 'receive.buffer.bytes': options are camelCase here (linger.ms is lingerMs) and no " +
        'example option matches this one; remove it',
    );
  });

  it('says so when a large object has no similar option', () => {
    const large: OptionsSchema = Object.fromEntries(Array.from({ length: 12 }, (_, i) => [`option${i}`, r.boolean]));
    expect(() => checkOptions({ zzzzzz: 1 }, large, 'big', 'config')).toThrow(
      "Unknown big option 'zzzzzz'; no big option has a similar name: remove it",
    );
  });

  it('rejects a wrong value saying what is accepted and what was given', () => {
    expect(check({ name: 'a', lingerMs: -1 })).toThrow(
      'Invalid example option: lingerMs must be a non-negative integer up to 1000, got -1',
    );
    expect(check({ name: 'a', acks: '1' })).toThrow(
      "Invalid example option: acks must be one of 0, 1 or 'all', got '1'",
    );
    expect(check({ name: '' })).toThrow("name must be a non-empty string, got ''");
  });

  it('rejects a missing required option', () => {
    expect(check({})).toThrow('Missing example option: name is required (a non-empty string)');
    expect(check(undefined)).toThrow(/name is required/);
  });

  it('checks nested options with their path, and never shows a secret', () => {
    expect(check({ name: 'a', auth: { usr: 'u', password: 'p' } })).toThrow(
      "Unknown example option 'auth.usr'; did you mean 'auth.user'?",
    );
    expect(check({ name: 'a', auth: { user: 'u' } })).toThrow('Missing example option: auth.password is required');
    let message = '';
    try {
      check({ name: 'a', auth: { user: 'u', password: 123456 } })();
    } catch (error) {
      message = (error as Error).message;
    }
    expect(message).toBe('Invalid example option: auth.password must be a string, got a number');
  });

  it('throws InvalidArgumentError for the options of a call', () => {
    expect(check({ name: 'a', ackss: 1 }, 'call')).toThrow(InvalidArgumentError);
    expect(check({ name: 'a', lingerMs: 'x' }, 'call')).toThrow(InvalidArgumentError);
  });

  it('rejects options that are not an object', () => {
    expect(check(null)).toThrow('The example options must be an object, got null');
    expect(check('name')).toThrow("The example options must be an object, got 'name'");
    expect(check([])).toThrow('The example options must be an object, got an array');
  });

  it('ignores inherited keys', () => {
    const options = Object.create({ inherited: true }) as Record<string, unknown>;
    options.name = 'a';
    expect(check(options)).not.toThrow();
  });
});

describe('describeValue', () => {
  it.each([
    [undefined, 'undefined'],
    [null, 'null'],
    ['x', "'x'"],
    ['y'.repeat(100), `'${'y'.repeat(57)}...'`],
    [1.5, '1.5'],
    [5n, '5n'],
    [true, 'true'],
    [() => 1, 'a function'],
    [[1], 'an array'],
    [/a+/, '/a+/'],
    [{}, 'an object'],
    [new Date(0), 'a Date'],
  ])('%s', (value, words) => {
    expect(describeValue(value)).toBe(words);
  });

  it('shows only the type of a secret', () => {
    expect(describeValue('hunter2', true)).toBe('a string');
  });
});
