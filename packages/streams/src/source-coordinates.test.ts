import { InvalidArgumentError } from '@vltava/core';
import { describe, expect, it } from 'vitest';
import { defaultSourceOf, isSourceCoordinates } from './source-coordinates.js';

describe('source coordinates', () => {
  const record = { topic: 't', partition: 1, offset: 5n, leaderEpoch: 2 };

  it('recognises coordinates only with a bigint offset', () => {
    expect(isSourceCoordinates(record)).toBe(true);
    expect(isSourceCoordinates({ topic: 't', partition: 1, offset: 5 })).toBe(false);
    expect(isSourceCoordinates(null)).toBe(false);
  });

  it('follows `source` fields down to the coordinates', () => {
    expect(defaultSourceOf(record)).toBe(record);
    expect(defaultSourceOf({ topic: 'out', partition: 0, offset: 1n, source: record })).toBe(record);
    expect(defaultSourceOf({ source: record, metadata: { topic: 'out', partition: 0, offset: 9n } })).toBe(record);
    expect(defaultSourceOf({ source: { source: record } })).toBe(record);
  });

  it('throws an InvalidArgumentError saying what to do when nothing is found', () => {
    expect(() => defaultSourceOf({ source: { topic: 'out' } })).toThrow(InvalidArgumentError);
    expect(() => defaultSourceOf('text')).toThrow(/sourceOf/);
  });
});
