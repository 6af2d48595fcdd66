/** Highest version number Kafka uses for open-ended ranges (`"3+"`). */
export const MAX_VERSION = 0x7fff;

/** An inclusive range of versions; empty when `lo > hi`. Kafka writes them `"3+"`, `"1-4"`, `"2"` or `"none"`. */
export interface Versions {
  readonly lo: number;
  readonly hi: number;
}

/** The empty range (`"none"`). */
export const NONE: Versions = { lo: 1, hi: 0 };

/** Every version (`"0+"`). */
export const ALL: Versions = { lo: 0, hi: MAX_VERSION };

/** Parses Kafka's version range syntax; `undefined` gives `fallback`. */
export function parseVersions(text: string | undefined, fallback?: Versions): Versions {
  if (text === undefined || text === '') {
    if (fallback === undefined) throw new Error('version range is missing');
    return fallback;
  }
  const t = text.trim();
  if (t === 'none') return NONE;
  let m = /^(\d+)\+$/.exec(t);
  if (m) return { lo: Number(m[1]), hi: MAX_VERSION };
  m = /^(\d+)-(\d+)$/.exec(t);
  if (m) return { lo: Number(m[1]), hi: Number(m[2]) };
  m = /^(\d+)$/.exec(t);
  if (m) return { lo: Number(m[1]), hi: Number(m[1]) };
  throw new Error(`invalid version range ${JSON.stringify(text)}`);
}

/** True when the range holds no version. */
export function isEmpty(v: Versions): boolean {
  return v.lo > v.hi;
}

/** Versions in both ranges. */
export function intersect(a: Versions, b: Versions): Versions {
  const lo = Math.max(a.lo, b.lo);
  const hi = Math.min(a.hi, b.hi);
  return lo > hi ? NONE : { lo, hi };
}

/** The smallest range holding both (the union when they touch or overlap). */
export function hull(a: Versions, b: Versions): Versions {
  if (isEmpty(a)) return b;
  if (isEmpty(b)) return a;
  return { lo: Math.min(a.lo, b.lo), hi: Math.max(a.hi, b.hi) };
}

/** The smallest range holding the versions of `a` that are not in `b`. */
export function subtractHull(a: Versions, b: Versions): Versions {
  const common = intersect(a, b);
  if (isEmpty(common)) return a;
  const below: Versions = common.lo > a.lo ? { lo: a.lo, hi: common.lo - 1 } : NONE;
  const above: Versions = common.hi < a.hi ? { lo: common.hi + 1, hi: a.hi } : NONE;
  return hull(below, above);
}

/** True when every version of `inner` is in `outer`. */
export function contains(outer: Versions, inner: Versions): boolean {
  return isEmpty(inner) || (outer.lo <= inner.lo && inner.hi <= outer.hi);
}

/** True when the two ranges hold the same versions. */
export function sameVersions(a: Versions, b: Versions): boolean {
  return (isEmpty(a) && isEmpty(b)) || (a.lo === b.lo && a.hi === b.hi);
}

/** Kafka's text form of a range. */
export function formatVersions(v: Versions): string {
  if (isEmpty(v)) return 'none';
  if (v.hi === MAX_VERSION) return `${v.lo}+`;
  if (v.lo === v.hi) return String(v.lo);
  return `${v.lo}-${v.hi}`;
}

/**
 * How a generated encoder or decoder tests "the version is in `set`", knowing the version is in `possible`:
 * `true` or `false` when the answer does not depend on the version, else a TypeScript condition on `v`.
 */
export function versionCondition(set: Versions, possible: Versions, variable = 'v'): boolean | string {
  const common = intersect(set, possible);
  if (isEmpty(common)) return false;
  if (sameVersions(common, possible)) return true;
  const parts: string[] = [];
  if (common.lo === common.hi) return `${variable} === ${common.lo}`;
  if (common.lo > possible.lo) parts.push(`${variable} >= ${common.lo}`);
  if (common.hi < possible.hi) parts.push(`${variable} <= ${common.hi}`);
  return parts.join(' && ');
}
