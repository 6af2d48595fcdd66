import { describe, expect, it } from 'vitest';
import { PauseState } from './pause-state.js';

describe('PauseState', () => {
  it('a paused topic covers every partition until resumed; resuming one partition keeps the rest paused', () => {
    const pauses = new PauseState();
    pauses.pause('t');
    expect([0, 1, 2].map((p) => pauses.isPaused('t', p))).toEqual([true, true, true]);
    pauses.resume('t', [1]);
    expect([0, 1, 2].map((p) => pauses.isPaused('t', p))).toEqual([true, false, true]);
    pauses.resume('t');
    expect(pauses.isPaused('t', 0)).toBe(false);
  });

  it('single partitions pause and resume on their own; other topics are untouched', () => {
    const pauses = new PauseState();
    pauses.pause('t', [2]);
    expect(pauses.isPaused('t', 2)).toBe(true);
    expect(pauses.isPaused('t', 1)).toBe(false);
    expect(pauses.isPaused('u', 2)).toBe(false);
    pauses.resume('t', [2]);
    expect(pauses.isPaused('t', 2)).toBe(false);
    pauses.resume('never-paused');
  });
});
