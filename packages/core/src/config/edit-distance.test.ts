import { describe, expect, it } from 'vitest';
import { editDistance } from './edit-distance.js';

describe('editDistance', () => {
  it.each([
    ['acks', 'acks', 0],
    ['', 'acks', 4],
    ['acks', '', 4],
    ['ackss', 'acks', 1],
    ['aks', 'acks', 1],
    ['acsk', 'acks', 1],
    ['gropuId', 'groupId', 1],
    ['lingerms', 'lingerMs', 1],
    ['kitten', 'sitting', 3],
    ['ca', 'abc', 3],
  ])('%s -> %s is %i', (a, b, distance) => {
    expect(editDistance(a, b)).toBe(distance);
    expect(editDistance(b, a)).toBe(distance);
  });
});
