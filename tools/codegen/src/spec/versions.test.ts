import { describe, expect, it } from 'vitest';
import {
  contains,
  formatVersions,
  intersect,
  isEmpty,
  MAX_VERSION,
  NONE,
  parseVersions,
  subtractHull,
  versionCondition,
} from './versions.js';

describe('version ranges', () => {
  it("parses Kafka's syntax", () => {
    expect(parseVersions('3+')).toStrictEqual({ lo: 3, hi: MAX_VERSION });
    expect(parseVersions('1-4')).toStrictEqual({ lo: 1, hi: 4 });
    expect(parseVersions('2')).toStrictEqual({ lo: 2, hi: 2 });
    expect(isEmpty(parseVersions('none'))).toBe(true);
    expect(parseVersions(undefined, NONE)).toBe(NONE);
    expect(() => parseVersions('x')).toThrow(/invalid version range/);
    expect(() => parseVersions(undefined)).toThrow(/missing/);
    expect(formatVersions(parseVersions('3+'))).toBe('3+');
    expect(formatVersions(parseVersions('1-4'))).toBe('1-4');
    expect(formatVersions(NONE)).toBe('none');
  });

  it('intersects, contains and subtracts', () => {
    expect(intersect(parseVersions('3+'), parseVersions('0-5'))).toStrictEqual({ lo: 3, hi: 5 });
    expect(isEmpty(intersect(parseVersions('6+'), parseVersions('0-5')))).toBe(true);
    expect(contains(parseVersions('0+'), parseVersions('2-3'))).toBe(true);
    expect(contains(parseVersions('3+'), parseVersions('2-3'))).toBe(false);
    expect(subtractHull(parseVersions('0-10'), parseVersions('4+'))).toStrictEqual({ lo: 0, hi: 3 });
    expect(subtractHull(parseVersions('0-10'), parseVersions('20+'))).toStrictEqual({ lo: 0, hi: 10 });
  });

  it('writes the shortest condition on the version, given the versions possible', () => {
    const possible = parseVersions('0-13');
    expect(versionCondition(parseVersions('0+'), possible)).toBe(true);
    expect(versionCondition(parseVersions('14+'), possible)).toBe(false);
    expect(versionCondition(parseVersions('4+'), possible)).toBe('v >= 4');
    expect(versionCondition(parseVersions('0-10'), possible)).toBe('v <= 10');
    expect(versionCondition(parseVersions('8-10'), possible)).toBe('v >= 8 && v <= 10');
    expect(versionCondition(parseVersions('13+'), possible)).toBe('v === 13');
    expect(versionCondition(parseVersions('4+'), parseVersions('5-9'))).toBe(true);
  });
});
