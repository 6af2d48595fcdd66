import type { CompressionCodec } from './compression-codec.js';
import { decompressionLimitError } from './decompression-limit-error.js';

function asBuffer(data: Uint8Array): Buffer {
  return Buffer.isBuffer(data) ? data : Buffer.from(data.buffer, data.byteOffset, data.byteLength);
}

/** The identity codec (`compression.type=none`). Returns views of its input, never copies. */
export const noneCodec: CompressionCodec = {
  type: 'none',
  compress: asBuffer,
  decompress(data, maxSize) {
    if (data.byteLength > maxSize) throw decompressionLimitError('uncompressed', maxSize);
    return asBuffer(data);
  },
};
