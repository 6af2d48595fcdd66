/**
 * LZ4 frame compress and decompress throughput, in MB/s of uncompressed data: this codec (the `lz4` package's
 * native LZ4 block functions, framed here like the Java client: 64 KiB independent blocks) against `lz4-napi`
 * (lz4_flex in Rust, its own framing). Candidates alternate within each round; the best of the rounds is reported.
 *
 *   npx tsx bench/records/lz4.ts [--quick]
 */
import { createRequire } from 'node:module';
import {
  compressLz4Frame,
  decompressLz4Frame,
} from '../../packages/core/src/protocol/records/compression/lz4-codec.js';
import { opsPerSecond, payload, printTable } from './measure.js';

const require = createRequire(import.meta.url);
const napi = require('lz4-napi') as {
  compressFrameSync(data: Buffer): Buffer;
  decompressFrameSync(data: Buffer): Buffer;
};

const quick = process.argv.includes('--quick');
const budget = quick ? 80 : 200;
const rounds = quick ? 2 : 4;
const rows: Record<string, string | number>[] = [];

for (const size of [16 * 1024, 256 * 1024, 1024 * 1024]) {
  const data = payload(size, size);
  const ours = compressLz4Frame(data);
  const theirs = napi.compressFrameSync(data);
  if (!decompressLz4Frame(theirs, size).equals(data) || !napi.decompressFrameSync(ours).equals(data)) {
    throw new Error('the two implementations do not read each other');
  }
  const cases: [string, () => unknown][] = [
    ['lz4 compress', () => compressLz4Frame(data)],
    ['lz4-napi compress', () => napi.compressFrameSync(data)],
    ['lz4 decompress', () => decompressLz4Frame(ours, size)],
    ['lz4-napi decompress', () => napi.decompressFrameSync(theirs)],
  ];
  const best = new Map<string, number>();
  for (let round = 0; round < rounds; round++) {
    for (const [name, fn] of cases)
      best.set(name, Math.max(best.get(name) ?? 0, (opsPerSecond(fn, budget) * size) / 1e6));
  }
  const row: Record<string, string | number> = {
    input: `${size / 1024} KiB`,
    'ratio lz4': (ours.length / size).toFixed(3),
    'ratio lz4-napi': (theirs.length / size).toFixed(3),
  };
  for (const [name] of cases) row[`${name} MB/s`] = best.get(name)!.toFixed(0);
  rows.push(row);
}
printTable(`LZ4 frames (Node ${process.version}, best of ${rounds} rounds)`, rows);
