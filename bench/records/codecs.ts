/**
 * Codec throughput in MB/s of uncompressed data for batch-sized inputs (16 KiB, 256 KiB, 1 MiB): each codec's
 * synchronous calls, and for gzip and zstd the thread-pool (async) calls, one at a time and two at once. This is
 * the measurement behind GZIP_ASYNC_THRESHOLD and the choice of synchronous decompression everywhere.
 *
 *   npx tsx bench/records/codecs.ts [--quick]
 */
import { promisify } from 'node:util';
import * as zlib from 'node:zlib';
import {
  getCompressionCodec,
  loadCompressionCodecs,
  zstdBackendName,
} from '../../packages/core/src/protocol/records/index.js';
import { asyncOpsPerSecond, opsPerSecond, payload, printTable } from './measure.js';

const quick = process.argv.includes('--quick');
const budget = quick ? 100 : 300;
await loadCompressionCodecs();

const gzip = promisify(zlib.gzip);
const gunzip = promisify(zlib.gunzip);
const rows: Record<string, string | number>[] = [];

for (const size of [16 * 1024, 256 * 1024, 1024 * 1024]) {
  const data = payload(size, 7);
  const mbps = (ops: number) => ((ops * size) / 1e6).toFixed(0);
  for (const type of ['gzip', 'snappy', 'lz4', 'zstd'] as const) {
    const codec = getCompressionCodec(type);
    const compressed = await codec.compress(data);
    const row: Record<string, string | number> = {
      input: `${size / 1024} KiB`,
      codec: type === 'zstd' ? `zstd (${zstdBackendName()})` : type,
      ratio: (compressed.length / size).toFixed(3),
      'compress sync': mbps(opsPerSecond(() => (type === 'gzip' ? zlib.gzipSync(data) : codec.compress(data)), budget)),
      'decompress sync': mbps(opsPerSecond(() => codec.decompress(compressed, size), budget)),
      'compress async x1': '-',
      'compress async x2': '-',
      'decompress async x1': '-',
    };
    if (type === 'gzip') {
      row['compress async x1'] = mbps(await asyncOpsPerSecond(() => gzip(data), budget, 1));
      row['compress async x2'] = mbps(await asyncOpsPerSecond(() => gzip(data), budget, 2));
      row['decompress async x1'] = mbps(await asyncOpsPerSecond(() => gunzip(compressed), budget, 1));
    }
    rows.push(row);
  }
}
printTable(`Codecs, MB/s of uncompressed bytes (Node ${process.version}, ${budget} ms per cell)`, rows);
