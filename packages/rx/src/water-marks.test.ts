import { InvalidArgumentError } from '@vltava/core';
import { describe, expect, it } from 'vitest';
import { DEFAULT_HIGH_WATER_MARK, DEFAULT_HIGH_WATER_MARK_BYTES, resolveWaterMarks } from './water-marks.js';

describe('resolveWaterMarks', () => {
  it('defaults: bounded marks, low-water marks at half', () => {
    expect(resolveWaterMarks({})).toEqual({
      highWaterMark: DEFAULT_HIGH_WATER_MARK,
      lowWaterMark: DEFAULT_HIGH_WATER_MARK / 2,
      highWaterMarkBytes: DEFAULT_HIGH_WATER_MARK_BYTES,
      lowWaterMarkBytes: DEFAULT_HIGH_WATER_MARK_BYTES / 2,
    });
    expect(resolveWaterMarks({ highWaterMark: 1 })).toMatchObject({ highWaterMark: 1, lowWaterMark: 0 });
    expect(resolveWaterMarks({ highWaterMark: 9, lowWaterMark: 8 })).toMatchObject({ lowWaterMark: 8 });
  });

  it.each([
    [{ highWaterMark: 0 }, /highWaterMark must be a positive integer/],
    [{ highWaterMark: 1.5 }, /highWaterMark must be a positive integer/],
    [{ highWaterMarkBytes: -1 }, /highWaterMarkBytes must be a positive integer/],
    [{ highWaterMark: 10, lowWaterMark: 10 }, /lowWaterMark must be an integer from 0 to highWaterMark - 1 \(9\)/],
    [{ lowWaterMark: -1 }, /lowWaterMark must be/],
    [{ highWaterMarkBytes: 100, lowWaterMarkBytes: 200 }, /lowWaterMarkBytes must be/],
  ])('rejects %j', (options, message) => {
    expect(() => resolveWaterMarks(options)).toThrow(InvalidArgumentError);
    expect(() => resolveWaterMarks(options)).toThrow(message);
  });
});
