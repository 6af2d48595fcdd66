import { CorruptRecordError } from '../../errors/client-errors.js';
import { getCompressionCodec } from './compression/compression-codecs.js';
import { type CompressionType, compressionTypeFromId } from './compression/compression-type.js';
import { decompressLz4Frame } from './compression/lz4-codec.js';
import { corruptBatch } from './corrupt-batch.js';
import { crc32 } from './crc32.js';
import type { ResolvedReaderOptions } from './reader-options.js';
import { type DecodedRecord, NO_HEADERS, type TimestampType } from './record.js';
import type { RecordBatch } from './record-batch.js';
import { HEADER_SIZE_UP_TO_MAGIC, LOG_OVERHEAD } from './record-batch-format.js';

/**
 * Legacy message format (magic 0 and 1), for data written before Kafka 0.11 and still in topics:
 * offset int64, size int32, then the message: crc uint32 (CRC-32 of the rest), magic int8, attributes int8
 * (bits 0-2 codec, bit 3 LogAppendTime for magic 1), [timestamp int64, magic 1 only], key bytes, value bytes
 * (int32 length, -1 = null). A compressed message is a wrapper whose value holds a compressed message set.
 */
const CRC_OFFSET = 12;
const MAGIC_OFFSET = 16;
const ATTRIBUTES_OFFSET = 17;
const TIMESTAMP_OFFSET = 18;
/** Message bytes after the size field without key and value: crc, magic, attributes, key and value lengths. */
const RECORD_OVERHEAD_V0 = 14;
/** {@link RECORD_OVERHEAD_V0} plus the int64 timestamp of magic 1. */
const RECORD_OVERHEAD_V1 = 22;
/** The smallest size field any legacy message or batch can have (the reader rejects smaller ones). */
export const MIN_LEGACY_MESSAGE_SIZE = RECORD_OVERHEAD_V0;

const COMPRESSION_MASK = 0x07;
const TIMESTAMP_TYPE_FLAG = 0x08;

/** One parsed legacy message (outer or inner). */
interface LegacyMessage {
  readonly offset: bigint;
  readonly magic: number;
  readonly codecId: number;
  readonly logAppendTime: boolean;
  readonly timestamp: number;
  readonly key: Buffer | null;
  readonly value: Buffer | null;
  readonly crc: number;
}

function readLength(data: Buffer, at: number): number {
  return data.readInt32BE(at);
}

/**
 * Parses the complete message `data[start, end)` (offset and size fields included), checking its CRC-32 when
 * asked. Returns a description of the fault instead when it is malformed.
 */
function parseMessage(data: Buffer, start: number, end: number, verifyCrc: boolean): LegacyMessage | string {
  const magic = data.readInt8(start + MAGIC_OFFSET);
  if (magic !== 0 && magic !== 1) return `legacy message has magic ${magic}`;
  const size = end - start - LOG_OVERHEAD;
  const overhead = magic === 0 ? RECORD_OVERHEAD_V0 : RECORD_OVERHEAD_V1;
  if (size < overhead) return `message of ${size} bytes is smaller than the magic ${magic} overhead (${overhead})`;
  const crc = data.readUInt32BE(start + CRC_OFFSET);
  if (verifyCrc) {
    const actual = crc32(data, start + MAGIC_OFFSET, end);
    if (actual !== crc) {
      return `CRC-32 is 0x${actual.toString(16).padStart(8, '0')}, the message says 0x${crc.toString(16).padStart(8, '0')}`;
    }
  }
  const attributes = data[start + ATTRIBUTES_OFFSET]!;
  let p = start + (magic === 0 ? TIMESTAMP_OFFSET : TIMESTAMP_OFFSET + 8);
  const timestamp =
    magic === 0
      ? -1
      : data.readInt32BE(start + TIMESTAMP_OFFSET) * 4294967296 + data.readUInt32BE(start + TIMESTAMP_OFFSET + 4);
  const keyLength = readLength(data, p);
  p += 4;
  let key: Buffer | null = null;
  if (keyLength >= 0) {
    if (keyLength > end - p - 4) return `key of ${keyLength} bytes runs past the end of the message`;
    key = data.subarray(p, p + keyLength);
    p += keyLength;
  }
  const valueLength = readLength(data, p);
  p += 4;
  let value: Buffer | null = null;
  if (valueLength >= 0) {
    if (valueLength > end - p) return `value of ${valueLength} bytes runs past the end of the message`;
    value = data.subarray(p, p + valueLength);
    p += valueLength;
  }
  if (p !== end) return `message has ${end - p} bytes after its value`;
  return {
    offset: data.readBigInt64BE(start),
    magic,
    codecId: attributes & COMPRESSION_MASK,
    logAppendTime: magic === 1 && (attributes & TIMESTAMP_TYPE_FLAG) !== 0,
    timestamp,
    key,
    value,
    crc,
  };
}

/**
 * A legacy message (magic 0 or 1) in a fetch response, seen as a batch: an uncompressed message is a batch of one
 * record; a compressed wrapper is a batch of its inner messages. See {@link RecordBatch}.
 */
export class LegacyRecordBatch implements RecordBatch {
  readonly magic: number;
  readonly lastOffset: bigint;
  readonly nextOffset: bigint;
  readonly sizeInBytes: number;
  readonly partitionLeaderEpoch = -1;
  readonly compression: CompressionType;
  readonly timestampType: TimestampType;
  readonly isTransactional = false;
  readonly isControl = false;
  readonly deleteHorizonMs = undefined;
  readonly maxTimestamp: number;
  readonly producerId = -1n;
  readonly producerEpoch = -1;
  readonly baseSequence = -1;
  readonly crc: number;
  private readonly outer: LegacyMessage;
  private readonly options: ResolvedReaderOptions;
  private inner: DecodedRecord[] | undefined;

  /**
   * Parses the complete legacy message `data[start, end)` and checks its CRC-32 (unless disabled).
   *
   * @throws CorruptRecordError when the message is malformed or uses a codec legacy messages cannot have.
   */
  constructor(data: Buffer, start: number, end: number, options: ResolvedReaderOptions) {
    const parsed = parseMessage(data, start, end, options.verifyCrc);
    if (typeof parsed === 'string') throw corruptBatch(data.readBigInt64BE(start), options.context, parsed);
    const compression = compressionTypeFromId(parsed.codecId);
    if (compression === undefined || compression === 'zstd') {
      throw corruptBatch(parsed.offset, options.context, `legacy message uses codec id ${parsed.codecId}`);
    }
    if (compression !== 'none' && parsed.value === null) {
      throw corruptBatch(parsed.offset, options.context, 'compressed legacy message has a null value');
    }
    this.magic = parsed.magic;
    this.outer = parsed;
    this.options = options;
    this.crc = parsed.crc;
    this.compression = compression;
    this.lastOffset = parsed.offset;
    this.nextOffset = parsed.offset + 1n;
    this.sizeInBytes = end - start;
    this.timestampType = parsed.magic === 0 ? 'NoTimestampType' : parsed.logAppendTime ? 'LogAppendTime' : 'CreateTime';
    this.maxTimestamp = parsed.timestamp;
  }

  get baseOffset(): bigint {
    return this.compression === 'none' ? this.outer.offset : (this.decodeInner()[0]?.offset ?? this.outer.offset);
  }

  get baseTimestamp(): number {
    return this.compression === 'none' ? this.outer.timestamp : (this.decodeInner()[0]?.timestamp ?? -1);
  }

  get recordCount(): number {
    return this.compression === 'none' ? 1 : this.decodeInner().length;
  }

  records(): DecodedRecord[] {
    if (this.compression !== 'none') return this.decodeInner().slice();
    const outer = this.outer;
    return [this.toRecord(outer.offset, outer.timestamp, outer.key, outer.value)];
  }

  controlType(): undefined {
    return undefined;
  }

  private toRecord(offset: bigint, timestamp: number, key: Buffer | null, value: Buffer | null): DecodedRecord {
    return {
      topic: this.options.topic,
      partition: this.options.partition,
      offset,
      timestamp,
      timestampType: this.timestampType,
      key,
      value,
      headers: NO_HEADERS,
      leaderEpoch: undefined,
    };
  }

  private fail(detail: string, cause?: unknown): never {
    throw corruptBatch(this.outer.offset, this.options.context, detail, cause);
  }

  private decodeInner(): DecodedRecord[] {
    if (this.inner !== undefined) return this.inner;
    const outer = this.outer;
    const { maxDecompressedBytes, verifyCrc } = this.options;
    let data: Buffer;
    try {
      data =
        this.compression === 'lz4'
          ? decompressLz4Frame(outer.value!, maxDecompressedBytes, { ignoreHeaderChecksum: outer.magic === 0 })
          : getCompressionCodec(this.compression).decompress(outer.value!, maxDecompressedBytes);
    } catch (error) {
      if (error instanceof CorruptRecordError) this.fail(error.message, error);
      throw error;
    }
    const messages: LegacyMessage[] = [];
    for (let p = 0; p < data.length; ) {
      if (data.length - p < HEADER_SIZE_UP_TO_MAGIC) this.fail('compressed message set ends inside a message header');
      const size = data.readInt32BE(p + 8);
      if (size < RECORD_OVERHEAD_V0 || size > data.length - p - LOG_OVERHEAD) {
        this.fail(`inner message of ${size} bytes does not fit the compressed message set`);
      }
      const end = p + LOG_OVERHEAD + size;
      const inner = parseMessage(data, p, end, verifyCrc);
      if (typeof inner === 'string') this.fail(`inner message: ${inner}`);
      if (inner.magic !== outer.magic)
        this.fail(`inner message has magic ${inner.magic} in a magic ${outer.magic} wrapper`);
      if (inner.codecId !== 0) this.fail('inner message is compressed again');
      messages.push(inner);
      p = end;
    }
    // Magic 1 inner offsets are relative; the wrapper carries the absolute offset of the last one.
    const last = messages[messages.length - 1];
    const shift = outer.magic === 1 && last !== undefined ? outer.offset - last.offset : 0n;
    const records: DecodedRecord[] = [];
    for (const m of messages) {
      const timestamp = outer.magic === 0 ? -1 : outer.logAppendTime ? outer.timestamp : m.timestamp;
      records.push(this.toRecord(m.offset + shift, timestamp, m.key, m.value));
    }
    this.inner = records;
    return records;
  }
}
