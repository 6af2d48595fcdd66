import { CorruptRecordError } from '../../../errors/client-errors.js';
import { decompressionFailed, decompressionLimitError } from './decompression-limit-error.js';
import type { ZstdBackend } from './zstd-backend.js';

/** The part of `zstd-napi/binding` this backend uses (declared here so the package stays optional at build time). */
export interface ZstdNapiBinding {
  compressBound(size: number): number;
  getFrameContentSize(frame: Uint8Array): number | null;
  CCtx: new () => { compress(dst: Uint8Array, src: Uint8Array, level: number): number };
  DCtx: new () => {
    decompress(dst: Uint8Array, src: Uint8Array): number;
    decompressStream(dst: Uint8Array, src: Uint8Array): [number, number, number];
    reset(directive: number): void;
  };
  ResetDirective: { sessionOnly: number };
}

const MIN_CAPACITY = 64 * 1024;

/**
 * The zstd backend on the `zstd-napi` package's native binding. Decompression is bounded: a frame that declares
 * its size is checked before anything is allocated; otherwise output grows by doubling up to `maxSize` and any
 * byte past it fails the call.
 */
export function zstdNapiBackend(binding: ZstdNapiBinding): ZstdBackend {
  const cctx = new binding.CCtx();
  const dctx = new binding.DCtx();
  const empty = Buffer.alloc(0);

  function decompressStreaming(data: Uint8Array, maxSize: number): Buffer {
    dctx.reset(binding.ResetDirective.sessionOnly);
    let out = Buffer.allocUnsafe(Math.min(maxSize, Math.max(MIN_CAPACITY, data.length * 4)));
    let o = 0;
    let input = data;
    let frameDone = false;
    for (;;) {
      const room = out.length === o ? empty : out.subarray(o);
      const [remaining, produced, consumed] = dctx.decompressStream(room, input);
      o += produced;
      input = input.subarray(consumed);
      frameDone = remaining === 0;
      if (frameDone && input.length === 0) break;
      if (produced === 0 && consumed === 0) {
        if (o < out.length) throw new CorruptRecordError('zstd data ends inside a frame');
        if (out.length >= maxSize) throw decompressionLimitError('zstd', maxSize);
      }
      if (o === out.length && out.length < maxSize) {
        const grown = Buffer.allocUnsafe(Math.min(maxSize, out.length * 2));
        out.copy(grown, 0, 0, o);
        out = grown;
      }
    }
    return o === out.length ? out : out.subarray(0, o);
  }

  return {
    name: 'zstd-napi',
    compress(data, level) {
      const out = Buffer.allocUnsafe(binding.compressBound(data.length));
      return out.subarray(0, cctx.compress(out, data, level));
    },
    decompress(data, maxSize) {
      try {
        const declared = binding.getFrameContentSize(data);
        if (declared !== null && declared > maxSize) throw decompressionLimitError('zstd', maxSize);
        if (declared !== null && declared > 0) {
          // Only a single frame declares exactly its size; concatenated frames take the streaming path.
          const out = Buffer.allocUnsafe(declared);
          try {
            if (dctx.decompress(out, data) === declared) return out;
          } catch {
            // Fall through to the streaming path, which tells truncation, trailing frames and bombs apart.
          }
        }
        return decompressStreaming(data, maxSize);
      } catch (error) {
        if (error instanceof CorruptRecordError) throw error;
        throw decompressionFailed('zstd', error);
      }
    },
  };
}
