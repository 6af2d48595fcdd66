import { resolvePackageFile } from '../../../utils/package-require.js';
import { CodecUnavailableError } from './codec-unavailable-error.js';
import type { CompressionCodec } from './compression-codec.js';
import type { CompressionType } from './compression-type.js';
import type { CompressionWorkerData } from './compression-worker-main.js';
import type { CompressionWorkers } from './compression-workers.js';
import { createGzipCodec } from './gzip-codec.js';
import { loadNativeLz4, lz4Codec } from './lz4-codec.js';
import { noneCodec } from './none-codec.js';
import { loadSnappy, snappyCodec, snappyLoadError } from './snappy-codec.js';
import { zstdWorkerCodec } from './worker-codec.js';
import type { ZstdBackend } from './zstd-backend.js';
import { createZstdCodec, DEFAULT_ZSTD_LEVEL } from './zstd-codec.js';
import { type ZstdNapiBinding, zstdNapiBackend } from './zstd-napi-backend.js';
import { zlibZstdBackend } from './zstd-zlib-backend.js';

/** Package name of the optional zstd binding, imported by a computed specifier so that it stays optional. */
const ZSTD_NAPI_BINDING = 'zstd-napi/binding.js';

let zstdBackend: ZstdBackend | undefined = zlibZstdBackend();
let zstdLoadError: unknown;
let loading: Promise<void> | undefined;
let loaded = false;
/** Every codec of {@link loadCompressionCodecs} has loaded (or failed to). */
let allLoaded = false;
const gzip = createGzipCodec();
let zstd: CompressionCodec | undefined = zstdBackend === undefined ? undefined : createZstdCodec(zstdBackend);

async function loadZstdNapi(): Promise<void> {
  try {
    const specifier: string = ZSTD_NAPI_BINDING;
    const module = (await import(specifier)) as { default?: ZstdNapiBinding } & Partial<ZstdNapiBinding>;
    const binding = (module.default ?? module) as ZstdNapiBinding;
    zstdBackend = zstdNapiBackend(binding);
    zstd = createZstdCodec(zstdBackend);
  } catch (error) {
    zstdLoadError = error;
  } finally {
    loaded = true;
  }
}

/**
 * Loads the codecs that need an asynchronous import: the native `lz4` binding (plain JavaScript otherwise), `snappy`,
 * and zstd from the optional package `zstd-napi`. Before it loads
 * (and if it cannot), zstd comes from Node.js itself where it has it (22.15+); `zstd-napi` replaces it when it
 * loads, being 2-3x faster (`bench/records/codecs.ts`). Call once before producing or consuming (the client
 * does it when it starts, through `loadRecordCodecs`); later calls return the same promise. Never rejects: a
 * codec that cannot load fails when it is used, with {@link CodecUnavailableError}.
 */
export function loadCompressionCodecs(): Promise<void> {
  loading ??= Promise.all([loadZstdNapi(), loadNativeLz4(), loadSnappy()]).then(() => {
    allLoaded = true;
  });
  return loading;
}

/** Where zstd comes from in this process, or `undefined` when it is unavailable (or not loaded yet). */
export function zstdBackendName(): ZstdBackend['name'] | undefined {
  return zstdBackend?.name;
}

/**
 * Where compression workers load zstd from: `zstd-napi` when this process's zstd comes from it (otherwise the
 * workers use `node:zlib`, as the event loop does). `undefined` until {@link loadCompressionCodecs} has completed.
 */
export function compressionWorkerModules(): CompressionWorkerData | undefined {
  if (!allLoaded) return undefined;
  return {
    zstdNapi: zstdBackendName() === 'zstd-napi' ? resolvePackageFile(ZSTD_NAPI_BINDING) : undefined,
  };
}

/**
 * The codec for `type`. Synchronous: the reader calls it per batch.
 *
 * @param level compression level for gzip (Java: `compression.gzip.level`, default -1 = zlib's 6) and zstd
 *   (Java: `compression.zstd.level`, default 3). Ignored by the others: LZ4 always uses the fast LZ4 compressor
 *   (the Java client's `compression.lz4.level` selects LZ4-HC, which this client does not use).
 * @param workers compression workers: zstd compresses large input there (see `zstdWorkerCodec`).
 * @throws CodecUnavailableError for zstd when neither Node.js (22.15+) nor `zstd-napi` provides it, or when
 *   {@link loadCompressionCodecs} has not completed.
 */
export function getCompressionCodec(
  type: CompressionType,
  level?: number,
  workers?: CompressionWorkers,
): CompressionCodec {
  switch (type) {
    case 'none':
      return noneCodec;
    case 'gzip':
      return level === undefined ? gzip : createGzipCodec(level);
    case 'snappy':
      if (snappyCodec() !== undefined) return snappyCodec()!;
      throw new CodecUnavailableError(
        !loaded
          ? 'snappy is not loaded: await loadCompressionCodecs() before producing or consuming snappy batches'
          : `snappy is unavailable: the package 'snappy' has no binary for this platform (${process.platform}-${process.arch})`,
        { cause: snappyLoadError() },
      );
    case 'lz4':
      return lz4Codec;
    case 'zstd':
      if (zstdBackend !== undefined && zstd !== undefined) {
        const codec = level === undefined ? zstd : createZstdCodec(zstdBackend, level);
        return workers === undefined ? codec : zstdWorkerCodec(codec, workers, level ?? DEFAULT_ZSTD_LEVEL);
      }
      throw new CodecUnavailableError(
        !loaded
          ? 'zstd is not loaded: await loadCompressionCodecs() before producing or consuming zstd batches'
          : 'zstd is unavailable: it needs Node.js 22.15+ or the optional package zstd-napi (npm install zstd-napi)',
        { cause: zstdLoadError },
      );
  }
}
