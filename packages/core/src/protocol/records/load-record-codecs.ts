import { loadCompressionCodecs } from './compression/compression-codecs.js';
import { loadNativeCrc32c } from './crc32c-native.js';

/**
 * Loads the optional native parts of the record format: zstd from `zstd-napi` where Node.js (before 22.15) has
 * none, and the native CRC-32C of `@node-rs/crc32`. The producer and consumer call it once when they start;
 * later calls are cheap. Never rejects: what does not load falls back (CRC-32C to JavaScript) or fails when used
 * (zstd, with `CodecUnavailableError`).
 */
export async function loadRecordCodecs(): Promise<void> {
  await Promise.all([loadCompressionCodecs(), loadNativeCrc32c()]);
}
