import { CorruptRecordError } from '../../../errors/client-errors.js';
import type { CompressionCodec } from './compression-codec.js';
import { decompressionLimitError } from './decompression-limit-error.js';
import { javascriptLz4Backend, type Lz4BlockBackend } from './lz4-block.js';
import { xxhash32 } from './xxhash32.js';

/** Package of the native LZ4 binding, imported by a computed specifier so that it stays optional. */
const NATIVE_LZ4 = 'lz4';

/** Block operations: the native `lz4` binding once {@link loadNativeLz4} found it, plain JavaScript until then. */
let lz4: Lz4BlockBackend = javascriptLz4Backend;

/**
 * Switches LZ4 blocks to the native `lz4` binding (several times faster) when it is installed and built. Never
 * rejects: without it, the plain-JavaScript blocks of `lz4-block.ts` stay in use, so an install that skipped
 * native builds (`--ignore-scripts`) still reads and writes LZ4.
 */
export async function loadNativeLz4(): Promise<void> {
  try {
    const specifier: string = NATIVE_LZ4;
    const module = (await import(specifier)) as { default?: NativeLz4 } & Partial<NativeLz4>;
    const native = (module.default ?? module) as NativeLz4;
    if (typeof native.encodeBlock !== 'function' || typeof native.decodeBlock !== 'function') return;
    lz4 = {
      name: 'native',
      encodeBound: (length) => native.encodeBound(length),
      encodeBlock: (src, dst, dstStart) => native.encodeBlock(src, dst, dstStart),
      decodeBlock: (src, dst, srcStart, srcEnd) => native.decodeBlock(src, dst, srcStart, srcEnd),
    };
  } catch {
    // Not installed or not built: keep the JavaScript blocks.
  }
}

/** Where LZ4 blocks come from in this process. */
export function lz4BackendName(): Lz4BlockBackend['name'] {
  return lz4.name;
}

/** Uses the given block backend (tests compare backends). Returns the previous one. */
export function setLz4Backend(backend: Lz4BlockBackend): Lz4BlockBackend {
  const previous = lz4;
  lz4 = backend;
  return previous;
}

interface NativeLz4 {
  encodeBound(length: number): number;
  encodeBlock(src: Uint8Array, dst: Uint8Array, start?: number, end?: number): number;
  decodeBlock(src: Uint8Array, dst: Uint8Array, start?: number, end?: number): number;
}

/**
 * The LZ4 frame format (lz4 frame spec v1.6), which Kafka requires for `compression.type=lz4`:
 * magic 0x184D2204 (LE), FLG, BD, [content size u64], [dict id u32], HC (header checksum), then blocks, each a
 * u32 LE size (high bit: stored uncompressed) and data [+ u32 block checksum], then a zero end mark
 * [+ u32 content checksum].
 */
const MAGIC = 0x184d2204;
const FLG_VERSION_MASK = 0xc0;
const FLG_VERSION_01 = 0x40;
const FLG_BLOCK_INDEPENDENCE = 0x20;
const FLG_BLOCK_CHECKSUM = 0x10;
const FLG_CONTENT_SIZE = 0x08;
const FLG_CONTENT_CHECKSUM = 0x04;
const FLG_RESERVED = 0x02;
const FLG_DICT_ID = 0x01;
const BD_RESERVED = 0x8f;
const UNCOMPRESSED_BIT = 0x80000000;

/** Block size the Java client writes (BD id 4): 64 KiB. */
export const LZ4_BLOCK_SIZE = 64 * 1024;
const BD_64KB = 4 << 4;

const MIN_CAPACITY = 64 * 1024;

function readU32LE(data: Uint8Array, at: number): number {
  return (data[at]! | (data[at + 1]! << 8) | (data[at + 2]! << 16) | (data[at + 3]! << 24)) >>> 0;
}

function writeU32LE(out: Uint8Array, at: number, value: number): void {
  out[at] = value & 0xff;
  out[at + 1] = (value >>> 8) & 0xff;
  out[at + 2] = (value >>> 16) & 0xff;
  out[at + 3] = (value >>> 24) & 0xff;
}

function corrupt(detail: string): CorruptRecordError {
  return new CorruptRecordError(`LZ4 frame ${detail}`);
}

/**
 * Compresses `data` into one LZ4 frame the way the Java client does: FLG 0x60 (version 01, independent blocks, no
 * checksums, no content size), BD 0x40 (64 KiB blocks), a correct header checksum, no content checksum. A block
 * that does not shrink is stored uncompressed.
 */
export function compressLz4Frame(data: Uint8Array): Buffer {
  const blocks = Math.max(1, Math.ceil(data.length / LZ4_BLOCK_SIZE));
  const out = Buffer.allocUnsafe(7 + blocks * (4 + lz4.encodeBound(LZ4_BLOCK_SIZE)) + 4);
  writeU32LE(out, 0, MAGIC);
  out[4] = FLG_VERSION_01 | FLG_BLOCK_INDEPENDENCE;
  out[5] = BD_64KB;
  out[6] = (xxhash32(out, 4, 6) >>> 8) & 0xff;
  let o = 7;
  for (let start = 0; start < data.length; start += LZ4_BLOCK_SIZE) {
    const block = data.subarray(start, Math.min(data.length, start + LZ4_BLOCK_SIZE));
    const size = lz4.encodeBlock(block, out, o + 4);
    if (size > 0 && size < block.length) {
      writeU32LE(out, o, size);
      o += 4 + size;
    } else {
      writeU32LE(out, o, (block.length | UNCOMPRESSED_BIT) >>> 0);
      out.set(block, o + 4);
      o += 4 + block.length;
    }
  }
  writeU32LE(out, o, 0);
  return out.subarray(0, o + 4);
}

/** Options of {@link decompressLz4Frame}. */
export interface Lz4FrameDecodeOptions {
  /**
   * Skip the header checksum check. Needed for legacy messages of magic 0 only: Kafka before 0.10 computed it over
   * the magic number too (KAFKA-1493), and the Java client ignores it for magic 0.
   */
  readonly ignoreHeaderChecksum?: boolean;
}

/**
 * Decompresses one LZ4 frame into a buffer of at most `maxSize` bytes. Accepts what the Java client accepts:
 * version 01, independent blocks, block sizes 64 KiB-4 MiB, optional content size, block checksums (verified) and
 * content checksum (skipped, as Java does: the batch CRC covers the bytes).
 */
export function decompressLz4Frame(data: Uint8Array, maxSize: number, options: Lz4FrameDecodeOptions = {}): Buffer {
  const end = data.length;
  if (end < 7) throw corrupt(`of ${end} bytes is shorter than its header`);
  if (readU32LE(data, 0) !== MAGIC) throw corrupt('has a wrong magic number');
  const flg = data[4]!;
  const bd = data[5]!;
  if ((flg & FLG_VERSION_MASK) !== FLG_VERSION_01) throw corrupt(`has unsupported version ${flg >>> 6}`);
  if ((flg & (FLG_RESERVED | FLG_DICT_ID)) !== 0) throw corrupt('uses reserved flags or a dictionary');
  if ((flg & FLG_BLOCK_INDEPENDENCE) === 0) throw corrupt('uses dependent blocks, which Kafka does not support');
  if ((bd & BD_RESERVED) !== 0) throw corrupt('has reserved block-descriptor bits set');
  const blockSizeId = bd >>> 4;
  if (blockSizeId < 4) throw corrupt(`has invalid block size id ${blockSizeId}`);
  const blockMax = 1 << (8 + 2 * blockSizeId);
  let p = 6;
  let contentSize = -1;
  if ((flg & FLG_CONTENT_SIZE) !== 0) {
    if (end < p + 9) throw corrupt('ends inside its content size');
    const high = readU32LE(data, p + 4);
    contentSize = high === 0 ? readU32LE(data, p) : Number.MAX_SAFE_INTEGER;
    p += 8;
  }
  if (!options.ignoreHeaderChecksum && data[p] !== ((xxhash32(data, 4, p) >>> 8) & 0xff)) {
    throw corrupt('header checksum does not match');
  }
  p += 1;
  const blockChecksum = (flg & FLG_BLOCK_CHECKSUM) !== 0;
  if (contentSize > maxSize) throw decompressionLimitError('LZ4', maxSize);

  // Walk the block headers once: validates the framing and bounds the output size before allocating.
  let bound = 0;
  for (let q = p; ; ) {
    if (end - q < 4) throw corrupt('ends without an end mark');
    const word = readU32LE(data, q);
    q += 4;
    if (word === 0) {
      if ((flg & FLG_CONTENT_CHECKSUM) !== 0 && end - q < 4) throw corrupt('ends without its content checksum');
      break;
    }
    const size = word & ~UNCOMPRESSED_BIT;
    if (size > blockMax) throw corrupt(`block of ${size} bytes exceeds the frame's maximum of ${blockMax}`);
    if (end - q < size + (blockChecksum ? 4 : 0)) throw corrupt('block runs past the end of the data');
    bound += (word & UNCOMPRESSED_BIT) !== 0 ? size : blockMax;
    q += size + (blockChecksum ? 4 : 0);
  }

  let capacity = contentSize >= 0 ? contentSize : Math.min(bound, maxSize);
  // A frame whose bound exceeds the limit is a bomb or a frame of sparse large blocks: grow as output appears.
  const growing = contentSize < 0 && bound > maxSize;
  if (growing) capacity = Math.min(maxSize, Math.max(MIN_CAPACITY, data.length * 4));
  let out = Buffer.allocUnsafe(capacity);
  let o = 0;
  for (;;) {
    const word = readU32LE(data, p);
    p += 4;
    if (word === 0) break;
    const size = word & ~UNCOMPRESSED_BIT;
    if (blockChecksum && readU32LE(data, p + size) !== xxhash32(data, p, p + size)) {
      throw corrupt('block checksum does not match');
    }
    const room = (word & UNCOMPRESSED_BIT) !== 0 ? size : blockMax;
    if (o + room > out.length && growing && out.length < maxSize) {
      const grown = Buffer.allocUnsafe(Math.min(maxSize, Math.max(out.length * 2, o + room)));
      out.copy(grown, 0, 0, o);
      out = grown;
    }
    if ((word & UNCOMPRESSED_BIT) !== 0) {
      if (o + size > out.length) throw sizeError(contentSize, maxSize);
      out.set(data.subarray(p, p + size), o);
      o += size;
    } else {
      const target = out.subarray(o, Math.min(out.length, o + blockMax));
      const n = size === 0 ? -1 : lz4.decodeBlock(data, target, p, p + size);
      if (n < 0) {
        // Malformed, or the output did not fit: decode into a block-sized scratch buffer to tell which.
        if (
          target.length < blockMax &&
          size > 0 &&
          lz4.decodeBlock(data, Buffer.allocUnsafe(blockMax), p, p + size) > target.length
        ) {
          throw sizeError(contentSize, maxSize);
        }
        throw corrupt('block is malformed');
      }
      o += n;
    }
    p += size + (blockChecksum ? 4 : 0);
  }
  if (contentSize >= 0 && o !== contentSize) throw corrupt(`holds ${o} bytes, its header says ${contentSize}`);
  return o === out.length ? out : out.subarray(0, o);
}

function sizeError(contentSize: number, maxSize: number): CorruptRecordError {
  return contentSize >= 0
    ? corrupt(`holds more bytes than its header says (${contentSize})`)
    : decompressionLimitError('LZ4', maxSize);
}

/** The LZ4 codec (`compression.type=lz4`): LZ4 frames as the Java client writes and reads them. */
export const lz4Codec: CompressionCodec = {
  type: 'lz4',
  compress: compressLz4Frame,
  decompress: (data, maxSize) => decompressLz4Frame(data, maxSize),
};
