/**
 * The record values every client sends: a fixed pool of JSON-like texts of one size, from a seeded generator, so
 * that compression has realistic work (about 2-3x with lz4 and zstd) and every client compresses the same bytes.
 */

const POOL = 1024;

/** `count` distinct values of `size` bytes each (the same for every process, every client). */
export function payloadPool(size: number, count = POOL): Buffer[] {
  let seed = 0x9e3779b9 ^ size;
  const next = () => {
    seed ^= seed << 13;
    seed ^= seed >>> 17;
    seed ^= seed << 5;
    return (seed >>> 0) / 0x1_0000_0000;
  };
  const words = ['order', 'customer', 'status', 'shipped', 'pending', 'amount', 'currency', 'EUR', 'item', 'sku'];
  const values: Buffer[] = [];
  for (let i = 0; i < count; i++) {
    let text = '';
    while (text.length < size) {
      const word = words[Math.floor(next() * words.length)]!;
      text += `"${word}":${Math.floor(next() * 100_000)},`;
    }
    values.push(Buffer.from(text.slice(0, size), 'latin1'));
  }
  return values;
}
