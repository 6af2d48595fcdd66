import type { RecordHeaderInput } from './record.js';
import { RECORD_BATCH_OVERHEAD } from './record-batch-format.js';
import { sizeOfVarint, sizeOfVarlong } from './varint.js';

/** Largest size of a zig-zag varint: 5 bytes. */
const MAX_VARINT = 5;
/** Largest size of a zig-zag varlong: 10 bytes. */
const MAX_VARLONG = 10;

/** Largest UTF-8 size of `value` without scanning it: 3 bytes per UTF-16 code unit. */
function maxBytes(value: Uint8Array | string | null): number {
  if (value === null) return 0;
  return typeof value === 'string' ? value.length * 3 : value.length;
}

/**
 * An upper bound of the bytes one record takes inside a batch, whatever its offset and timestamp deltas; cheap
 * (no UTF-8 scan). Add {@link RECORD_BATCH_OVERHEAD} for a batch of just this record. The producer checks it
 * against `maxRequestSize` before appending. Java: `DefaultRecord.recordSizeUpperBound`.
 */
export function estimateRecordSizeUpperBound(
  key: Uint8Array | string | null,
  value: Uint8Array | string | null,
  headers?: readonly RecordHeaderInput[],
): number {
  let size = MAX_VARINT + 1 + MAX_VARLONG + MAX_VARINT;
  size += MAX_VARINT + maxBytes(key) + MAX_VARINT + maxBytes(value) + MAX_VARINT;
  if (headers !== undefined) {
    for (const header of headers) size += MAX_VARINT + header.key.length * 3 + MAX_VARINT + maxBytes(header.value);
  }
  return size;
}

/** An upper bound of a batch holding just this record, uncompressed: {@link estimateRecordSizeUpperBound} + 61. */
export function estimateBatchSizeUpperBound(
  key: Uint8Array | string | null,
  value: Uint8Array | string | null,
  headers?: readonly RecordHeaderInput[],
): number {
  return RECORD_BATCH_OVERHEAD + estimateRecordSizeUpperBound(key, value, headers);
}

function byteLength(value: Uint8Array | string | null): number {
  if (value === null) return -1;
  return typeof value === 'string' ? Buffer.byteLength(value, 'utf8') : value.length;
}

function sizeOfField(length: number): number {
  return sizeOfVarint(length) + Math.max(length, 0);
}

/**
 * The exact bytes a record takes inside a batch (its length prefix included), given its offset and timestamp
 * deltas from the batch's first record. Java: `DefaultRecord.sizeInBytes`.
 */
export function recordSizeInBytes(
  offsetDelta: number,
  timestampDelta: number,
  key: Uint8Array | string | null,
  value: Uint8Array | string | null,
  headers?: readonly RecordHeaderInput[],
): number {
  let body = 1 + sizeOfVarlong(timestampDelta) + sizeOfVarint(offsetDelta);
  body += sizeOfField(byteLength(key)) + sizeOfField(byteLength(value));
  const count = headers === undefined ? 0 : headers.length;
  body += sizeOfVarint(count);
  for (let i = 0; i < count; i++) {
    const header = headers![i]!;
    body += sizeOfField(Buffer.byteLength(header.key, 'utf8')) + sizeOfField(byteLength(header.value));
  }
  return sizeOfVarint(body) + body;
}
