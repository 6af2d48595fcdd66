/**
 * Kafka's murmur2 hash, bit for bit as the Java client computes it (`Utils.murmur2`): MurmurHash2, 32-bit, seed
 * `0x9747b28c`, little-endian 4-byte blocks. The default partitioner maps a key to
 * `toPositive(murmur2(keyBytes)) % partitionCount`, so keyed records land on the same partition from Vltava, the
 * Java client, librdkafka's `murmur2_random` and kafka-python.
 */

const SEED = 0x9747b28c;
const M = 0x5bd1e995;

/** Murmur2 of `data[start, end)` as a signed 32-bit integer, as Java's `Utils.murmur2` returns it. */
export function murmur2(data: Uint8Array, start = 0, end = data.length): number {
  const length = end - start;
  let h = (SEED ^ length) | 0;
  const blocksEnd = start + (length & ~3);
  let i = start;
  for (; i < blocksEnd; i += 4) {
    let k = data[i]! | (data[i + 1]! << 8) | (data[i + 2]! << 16) | (data[i + 3]! << 24);
    k = Math.imul(k, M);
    k ^= k >>> 24;
    k = Math.imul(k, M);
    h = Math.imul(h, M) ^ k;
  }
  const tail = length & 3;
  if (tail > 0) {
    if (tail === 3) h ^= data[i + 2]! << 16;
    if (tail >= 2) h ^= data[i + 1]! << 8;
    h ^= data[i]!;
    h = Math.imul(h, M);
  }
  h ^= h >>> 13;
  h = Math.imul(h, M);
  h ^= h >>> 15;
  return h | 0;
}

/** Java's `Utils.toPositive`: clears the sign bit (not `Math.abs`, which differs for the minimum int). */
export function toPositive(hash: number): number {
  return hash & 0x7fffffff;
}

/**
 * Reused for string keys: UTF-8 is written here and hashed, so hashing a string key allocates nothing unless it is
 * longer than the scratch buffer.
 */
let scratch = Buffer.allocUnsafe(1024);

/** Murmur2 of a key given as bytes or as a string (hashed as its UTF-8 encoding, as a string serializer would). */
export function murmur2Key(key: Uint8Array | string): number {
  if (typeof key !== 'string') return murmur2(key);
  // A UTF-16 unit takes at most 3 UTF-8 bytes.
  if (key.length * 3 > scratch.length) {
    const needed = Buffer.byteLength(key, 'utf8');
    if (needed > scratch.length) scratch = Buffer.allocUnsafe(Math.max(needed, scratch.length * 2));
  }
  const written = scratch.write(key, 0, 'utf8');
  return murmur2(scratch, 0, written);
}

/** The partition the Java client's default partitioner picks for a key: `toPositive(murmur2(key)) % count`. */
export function partitionForKey(key: Uint8Array | string, partitionCount: number): number {
  return toPositive(murmur2Key(key)) % partitionCount;
}
