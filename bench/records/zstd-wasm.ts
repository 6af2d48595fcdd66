/**
 * Would a WebAssembly zstd give installs without zstd-napi (Node 20, `--ignore-scripts`, no compiler) zstd that is
 * fast enough? MB/s of uncompressed bytes at level 3 for batch-sized inputs, for every zstd this process can load:
 * zstd-napi (the optional native package), node:zlib (Node 22.15+), and @hpcc-js/wasm-zstd (the maintained
 * WebAssembly build, a peer in bench/package.json; never a dependency of the packages). Also the codecs an install
 * without native parts has anyway, for scale: gzip (node:zlib) and LZ4 in plain JavaScript.
 *
 *   npx tsx bench/records/zstd-wasm.ts [--quick] [--peers <dir with node_modules/@hpcc-js/wasm-zstd>]
 *
 * Run it on Node 22 or newer to see node:zlib's zstd beside the others.
 */
import { createRequire } from 'node:module';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import * as zlib from 'node:zlib';
import { javascriptLz4Backend } from '../../packages/core/src/protocol/records/compression/lz4-block.js';
import { setLz4Backend } from '../../packages/core/src/protocol/records/compression/lz4-codec.js';
import { getCompressionCodec, loadCompressionCodecs } from '../../packages/core/src/protocol/records/index.js';
import { opsPerSecond, payload, printTable } from './measure.js';

const quick = process.argv.includes('--quick');
const budget = quick ? 100 : 400;
const peersAt = process.argv.indexOf('--peers');
const peers = peersAt > 0 ? resolve(process.argv[peersAt + 1] ?? '.') : join(import.meta.dirname, '..');
const LEVEL = 3;

interface Zstd {
  readonly name: string;
  compress(data: Uint8Array): Uint8Array;
  decompress(data: Uint8Array, size: number): Uint8Array;
}

const candidates: Zstd[] = [];

try {
  const binding = createRequire(import.meta.url)('zstd-napi') as {
    compress(data: Uint8Array, params?: { compressionLevel?: number }): Buffer;
    decompress(data: Uint8Array): Buffer;
  };
  candidates.push({
    name: 'zstd-napi',
    compress: (data) => binding.compress(data, { compressionLevel: LEVEL }),
    decompress: (data) => binding.decompress(data),
  });
} catch {
  // Not installed or not built here.
}

const z = zlib as unknown as {
  zstdCompressSync?: (data: Uint8Array, options: object) => Buffer;
  zstdDecompressSync?: (data: Uint8Array, options: object) => Buffer;
  constants: Record<string, number>;
};
if (typeof z.zstdCompressSync === 'function' && typeof z.zstdDecompressSync === 'function') {
  const compress = z.zstdCompressSync;
  const decompress = z.zstdDecompressSync;
  const level = z.constants.ZSTD_c_compressionLevel!;
  candidates.push({
    name: 'node:zlib',
    compress: (data) => compress(data, { params: { [level]: LEVEL } }),
    decompress: (data, size) => decompress(data, { maxOutputLength: size }),
  });
}

try {
  const entry = createRequire(join(peers, 'package.json')).resolve('@hpcc-js/wasm-zstd');
  const { Zstd } = (await import(pathToFileURL(entry).href)) as {
    Zstd: {
      load(): Promise<{ compress(d: Uint8Array, l: number): Uint8Array; decompress(d: Uint8Array): Uint8Array }>;
    };
  };
  const wasm = await Zstd.load();
  candidates.push({
    name: '@hpcc-js/wasm-zstd',
    compress: (data) => wasm.compress(data, LEVEL),
    decompress: (data) => wasm.decompress(data),
  });
} catch (error) {
  console.error(`@hpcc-js/wasm-zstd not loaded (${(error as Error).message}); install bench/ or pass --peers`);
}

await loadCompressionCodecs();
setLz4Backend(javascriptLz4Backend); // what an install without the lz4 build runs
const gzip = getCompressionCodec('gzip');
const lz4 = getCompressionCodec('lz4');

const rows: Record<string, string | number>[] = [];
for (const size of [16 * 1024, 256 * 1024, 1024 * 1024]) {
  const data = payload(size, 7);
  const mbps = (ops: number) => ((ops * size) / 1e6).toFixed(0);
  for (const zstd of candidates) {
    const compressed = zstd.compress(data);
    const back = zstd.decompress(compressed, size);
    if (Buffer.compare(Buffer.from(back), data) !== 0) throw new Error(`${zstd.name} did not round-trip`);
    rows.push({
      input: `${size / 1024} KiB`,
      codec: `zstd ${zstd.name}`,
      ratio: (compressed.length / size).toFixed(3),
      compress: mbps(opsPerSecond(() => zstd.compress(data), budget)),
      decompress: mbps(opsPerSecond(() => zstd.decompress(compressed, size), budget)),
    });
  }
  for (const [name, codec] of [
    ['gzip (node:zlib)', gzip],
    ['lz4 (javascript)', lz4],
  ] as const) {
    const compressed = await codec.compress(data);
    rows.push({
      input: `${size / 1024} KiB`,
      codec: name,
      ratio: (compressed.length / size).toFixed(3),
      compress: mbps(
        opsPerSecond(() => (name.startsWith('gzip') ? zlib.gzipSync(data) : codec.compress(data)), budget),
      ),
      decompress: mbps(opsPerSecond(() => codec.decompress(compressed, size), budget)),
    });
  }
}
printTable(`zstd at level ${LEVEL}, MB/s of uncompressed bytes (Node ${process.version}, ${budget} ms per cell)`, rows);
