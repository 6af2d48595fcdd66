import { describe, expect, it } from 'vitest';
import { INT32_MAX, listWords, optionRules as r } from './option-rules.js';

describe('optionRules', () => {
  it('integer: whole numbers within the bounds, and words that say them', () => {
    const ms = r.integer(0, INT32_MAX);
    expect(ms.expected).toBe('a non-negative integer up to 2147483647');
    expect([0, 1, INT32_MAX].map((v) => ms.test(v))).toEqual([true, true, true]);
    expect(
      [-1, 1.5, INT32_MAX + 1, Number.NaN, Number.POSITIVE_INFINITY, '5', 5n, null].map((v) => ms.test(v)),
    ).toEqual([false, false, false, false, false, false, false, false]);
    expect(r.integer(1).expected).toBe('a positive integer');
    expect(r.integer(-1, 9).expected).toBe('an integer from -1 to 9');
  });

  it('number: finite, with an inclusive or exclusive lower bound', () => {
    expect(r.number(0).test(0.5)).toBe(true);
    expect(r.number(0).test(Number.POSITIVE_INFINITY)).toBe(false);
    expect(r.number(0, 10, true).test(0)).toBe(false);
    expect(r.number(0, 10, true).expected).toBe('a number > 0 up to 10');
  });

  it('boolean, string, bigint, function, regExp, signal', () => {
    expect(r.boolean.test(false)).toBe(true);
    expect(r.boolean.test('true')).toBe(false);
    expect(r.string().test('')).toBe(true);
    expect(r.string(true).test('')).toBe(false);
    expect(r.bigint.test(1n)).toBe(true);
    expect(r.bigint.test(1)).toBe(false);
    expect(r.function('(x) => y').expected).toBe('a function (x) => y');
    expect(r.function().test(() => 1)).toBe(true);
    expect(r.regExp.test(/a/)).toBe(true);
    expect(r.signal.test(new AbortController().signal)).toBe(true);
    expect(r.signal.test({ aborted: false })).toBe(false);
  });

  it('oneOf lists the values, strings quoted', () => {
    const acks = r.oneOf(0, 1, 'all');
    expect(acks.expected).toBe("one of 0, 1 or 'all'");
    expect(acks.test('all')).toBe(true);
    expect(acks.test('1')).toBe(false);
  });

  it('arrayOf checks every element; anyOf any rule', () => {
    const names = r.arrayOf(r.string());
    expect(names.expected).toBe('an array of strings');
    expect(names.test(['a', 'b'])).toBe(true);
    expect(names.test(['a', 1])).toBe(false);
    expect(names.test('a')).toBe(false);
    const either = r.anyOf(r.boolean, r.object('TLS options'));
    expect(either.expected).toBe('true or false or TLS options');
    expect(either.test({})).toBe(true);
    expect(either.test([])).toBe(false);
  });

  it('withMethods needs every method', () => {
    const logger = r.withMethods('a Logger', 'warn', 'error');
    expect(logger.test({ warn() {}, error() {} })).toBe(true);
    expect(logger.test({ warn() {} })).toBe(false);
    expect(logger.test(console)).toBe(true);
  });

  it('required, secret and describedAs keep the test', () => {
    const password = r.required(r.secret(r.describedAs('the password', r.string())));
    expect(password).toMatchObject({ required: true, secret: true, expected: 'the password' });
    expect(password.test('x')).toBe(true);
  });

  it('callbacks checks the keys of an object literal only', () => {
    const schema = { onDone: r.function() };
    const listener = r.callbacks('a listener', schema);
    expect(listener.nested!({ onDone() {} })).toBe(schema);
    expect(listener.nested!(Object.create(null))).toBe(schema);
    class Impl {
      state = 1;
      onDone(): void {}
    }
    expect(listener.nested!(new Impl())).toBeUndefined();
    expect(listener.test([])).toBe(false);
  });

  it('listWords', () => {
    expect(listWords([])).toBe('');
    expect(listWords(['a'])).toBe('a');
    expect(listWords(['a', 'b'])).toBe('a or b');
    expect(listWords(['a', 'b', 'c'], 'and')).toBe('a, b and c');
  });
});
