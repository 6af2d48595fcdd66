import { describe, expect, it } from 'vitest';
import { ChunkedQueue } from './chunked-queue.js';

describe('ChunkedQueue', () => {
  it('gives items back in order across chunks, interleaving pushes and shifts', () => {
    const queue = new ChunkedQueue<number>();
    const expected: number[] = [];
    let next = 0;
    for (let round = 0; round < 50; round++) {
      const pushes = (round * 397) % 2500;
      for (let i = 0; i < pushes; i++) {
        queue.push(next);
        expected.push(next++);
      }
      const shifts = Math.min(expected.length, (round * 613) % 3000);
      for (let i = 0; i < shifts; i++) {
        expect(queue.peek()).toBe(expected[0]);
        expect(queue.shift()).toBe(expected.shift());
      }
      expect(queue.length).toBe(expected.length);
    }
    while (expected.length > 0) expect(queue.shift()).toBe(expected.shift());
    expect(queue.length).toBe(0);
    expect(queue.shift()).toBeUndefined();
    expect(queue.peek()).toBeUndefined();
  });

  it('keeps undefined and null items apart from emptiness by its length', () => {
    const queue = new ChunkedQueue<number | null | undefined>();
    queue.push(undefined);
    queue.push(null);
    expect(queue.length).toBe(2);
    expect(queue.shift()).toBeUndefined();
    expect(queue.shift()).toBeNull();
    expect(queue.length).toBe(0);
  });
});
