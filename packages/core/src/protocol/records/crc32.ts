import * as zlib from 'node:zlib';

/**
 * CRC-32 (IEEE 802.3, reflected polynomial 0xEDB88320), the checksum of legacy Kafka messages (magic 0 and 1).
 *
 * Uses `zlib.crc32` (native, Node 20.15+ and 22.2+) when the runtime has it, and a byte-wise table otherwise.
 * Legacy messages are rare, so the fallback favours size over speed.
 */

type NativeCrc32 = (data: Uint8Array, value?: number) => number;

const nativeCrc32: NativeCrc32 | undefined = (zlib as { crc32?: NativeCrc32 }).crc32;

let table: Int32Array | undefined;

function buildTable(): Int32Array {
  const t = new Int32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? (c >>> 1) ^ 0xedb88320 : c >>> 1;
    t[n] = c;
  }
  return t;
}

/** Table-driven CRC-32 in JavaScript; exported for tests that compare it with the native one. */
export function crc32Js(data: Uint8Array, start = 0, end: number = data.length): number {
  table ??= buildTable();
  const t = table;
  let c = ~0;
  for (let i = start; i < end; i++) c = t[(c ^ data[i]!) & 0xff]! ^ (c >>> 8);
  return ~c >>> 0;
}

/** CRC-32 (IEEE) of `data[start, end)` (unsigned 32-bit), as legacy Kafka messages store it. */
export function crc32(data: Uint8Array, start = 0, end: number = data.length): number {
  if (nativeCrc32 !== undefined) {
    const view = start === 0 && end === data.length ? data : data.subarray(start, end);
    return nativeCrc32(view, 0) >>> 0;
  }
  return crc32Js(data, start, end);
}
