/**
 * The part of the `lz4` package (native LZ4 block functions) that the LZ4 frame codec uses. The package ships no
 * types of its own.
 */
declare module 'lz4' {
  /** Largest compressed size of `size` input bytes. */
  export function encodeBound(size: number): number;
  /**
   * Compresses all of `input` into `output` starting at `start` (capacity up to `end`, default the buffer end).
   * Returns the compressed size, or 0 when it does not fit.
   */
  export function encodeBlock(input: Uint8Array, output: Uint8Array, start?: number, end?: number): number;
  /**
   * Decompresses `input[start, end)` into `output` (capacity: the whole of `output`). Returns the decompressed
   * size, or a negative number when the input is malformed or the output too small.
   */
  export function decodeBlock(input: Uint8Array, output: Uint8Array, start?: number, end?: number): number;
}
