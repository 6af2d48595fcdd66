/**
 * CRC-32C throughput in GB/s: the JavaScript slicing-by-16 implementation, a byte-at-a-time table loop (the
 * baseline it replaces), the native `@node-rs/crc32`, and the dispatching `crc32c()` that uses JavaScript below
 * 256 bytes and native from there. Candidates alternate within each round; the best of the rounds is reported.
 *
 *   npx tsx bench/records/crc32c.ts [--quick]
 */
import { randomBytes } from 'node:crypto';
import { crc32c, crc32cUpdateJs, type NativeCrc32c } from '../../packages/core/src/protocol/records/crc32c.js';
import { loadNativeCrc32c } from '../../packages/core/src/protocol/records/crc32c-native.js';
import { opsPerSecond, printTable } from './measure.js';

const quick = process.argv.includes('--quick');
const budget = quick ? 60 : 150;
const rounds = quick ? 2 : 5;
if (!(await loadNativeCrc32c())) throw new Error('@node-rs/crc32 did not load');
const native = ((await import('@node-rs/crc32')) as { crc32c: NativeCrc32c }).crc32c;

const BYTE_TABLE = new Int32Array(256);
for (let n = 0; n < 256; n++) {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? (c >>> 1) ^ 0x82f63b78 : c >>> 1;
  BYTE_TABLE[n] = c;
}
function bytewise(data: Uint8Array): number {
  let c = ~0;
  for (let i = 0; i < data.length; i++) c = BYTE_TABLE[(c ^ data[i]!) & 0xff]! ^ (c >>> 8);
  return ~c >>> 0;
}

const candidates: [string, (data: Buffer) => number][] = [
  ['byte-wise table', bytewise],
  ['JS slicing-by-16', (data) => crc32cUpdateJs(0, data)],
  ['@node-rs/crc32', (data) => native(data) >>> 0],
  ['crc32c() (dispatch)', (data) => crc32c(data)],
];

const rows: Record<string, string | number>[] = [];
for (const size of [64, 128, 256, 512, 1024, 16 * 1024, 1024 * 1024]) {
  const data = randomBytes(size);
  const expected = crc32cUpdateJs(0, data);
  for (const [, fn] of candidates) if (fn(data) !== expected) throw new Error('implementations disagree');
  const best = new Map<string, number>();
  for (let round = 0; round < rounds; round++) {
    for (const [name, fn] of candidates) {
      best.set(name, Math.max(best.get(name) ?? 0, (opsPerSecond(() => fn(data), budget) * size) / 1e9));
    }
  }
  const row: Record<string, string | number> = { bytes: size };
  for (const [name] of candidates) row[`${name} GB/s`] = best.get(name)!.toFixed(2);
  rows.push(row);
}
printTable(`CRC-32C (Node ${process.version}, best of ${rounds} rounds)`, rows);
