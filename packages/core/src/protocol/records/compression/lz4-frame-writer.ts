/**
 * Writes `data` as one LZ4 frame the way the Java client does: FLG 0x60 (version 01, independent blocks, no
 * checksums, no content size), BD 0x40 (64 KiB blocks), header checksum 0x82 (the second byte of xxHash32 over FLG
 * and BD), then the blocks and a zero end mark, no content checksum. A block that does not shrink is stored
 * uncompressed.
 *
 * Self-contained on purpose: compression worker threads run this same function from its source text
 * (`compression-worker-main.ts`), so it may use nothing from outside its body but its arguments and `Buffer`.
 *
 * @param encodeBound the block compressor's worst-case output size for an input length.
 * @param encodeBlock compresses `src` into `dst` from `dstStart`; returns the compressed size, 0 if it did not fit.
 * @param into a buffer to write the frame into when it can hold the largest frame `data` could make; the result is
 *   then a view of it.
 */
export function writeLz4Frame(
  data: Uint8Array,
  encodeBound: (length: number) => number,
  encodeBlock: (src: Uint8Array, dst: Uint8Array, dstStart: number) => number,
  into?: Buffer,
): Buffer {
  const blockSize = 65536;
  const fullBlocks = Math.floor(data.length / blockSize);
  const rest = data.length - fullBlocks * blockSize;
  const bound = 7 + fullBlocks * (4 + encodeBound(blockSize)) + (rest > 0 ? 4 + encodeBound(rest) : 0) + 4;
  const out = into !== undefined && into.length >= bound ? into : Buffer.allocUnsafe(bound);
  out.writeUInt32LE(0x184d2204, 0); // magic
  out[4] = 0x60;
  out[5] = 0x40;
  out[6] = 0x82;
  let o = 7;
  for (let start = 0; start < data.length; start += blockSize) {
    const block = data.subarray(start, Math.min(data.length, start + blockSize));
    const size = encodeBlock(block, out, o + 4);
    if (size > 0 && size < block.length) {
      out.writeUInt32LE(size, o);
      o += 4 + size;
    } else {
      out.writeUInt32LE((block.length | 0x80000000) >>> 0, o); // high bit: stored uncompressed
      out.set(block, o + 4);
      o += 4 + block.length;
    }
  }
  out.writeUInt32LE(0, o);
  return out.subarray(0, o + 4);
}
