import { CorruptRecordError } from '../../errors/client-errors.js';
import { getCompressionCodec } from './compression/compression-codecs.js';
import { type CompressionType, compressionTypeFromId } from './compression/compression-type.js';
import { parseControlRecordKey } from './control-record.js';
import { corruptBatch } from './corrupt-batch.js';
import { crc32c } from './crc32c.js';
import type { ResolvedReaderOptions } from './reader-options.js';
import {
  type ControlRecordType,
  type DecodedRecord,
  NO_HEADERS,
  type RecordHeader,
  type TimestampType,
} from './record.js';
import type { RecordBatch } from './record-batch.js';
import {
  ATTRIBUTES,
  BASE_SEQUENCE,
  BASE_TIMESTAMP,
  BATCH_LENGTH,
  COMPRESSION_MASK,
  CONTROL_FLAG,
  CRC,
  DELETE_HORIZON_FLAG,
  LAST_OFFSET_DELTA,
  LOG_OVERHEAD,
  MAX_TIMESTAMP,
  PARTITION_LEADER_EPOCH,
  PRODUCER_EPOCH,
  PRODUCER_ID,
  RECORD_BATCH_OVERHEAD,
  RECORDS_COUNT,
  TIMESTAMP_TYPE_FLAG,
  TRANSACTIONAL_FLAG,
} from './record-batch-format.js';
import { RecordCursor } from './record-cursor.js';

function readInt64AsNumber(buf: Buffer, at: number): number {
  return buf.readInt32BE(at) * 4294967296 + buf.readUInt32BE(at + 4);
}

/** Offsets up to this stay exact when computed as numbers before the conversion to bigint. */
const SAFE_OFFSET_LIMIT = Number.MAX_SAFE_INTEGER - 0x80000000;

/** A record batch v2 (magic 2) inside a fetch response; see {@link RecordBatch}. */
export class DefaultRecordBatch implements RecordBatch {
  readonly magic = 2;
  readonly baseOffset: bigint;
  readonly lastOffset: bigint;
  readonly nextOffset: bigint;
  readonly sizeInBytes: number;
  readonly partitionLeaderEpoch: number;
  readonly compression: CompressionType;
  readonly timestampType: TimestampType;
  readonly isTransactional: boolean;
  readonly isControl: boolean;
  readonly deleteHorizonMs: number | undefined;
  readonly baseTimestamp: number;
  readonly maxTimestamp: number;
  readonly producerId: bigint;
  readonly producerEpoch: number;
  readonly baseSequence: number;
  readonly recordCount: number;
  readonly crc: number;
  private readonly data: Buffer;
  private readonly start: number;
  private readonly end: number;
  private readonly options: ResolvedReaderOptions;

  /**
   * Decodes the header of the complete batch `data[start, end)` and checks its CRC (unless disabled).
   *
   * @throws CorruptRecordError on a bad CRC, an impossible length or count, or an unknown codec.
   */
  constructor(data: Buffer, start: number, end: number, options: ResolvedReaderOptions) {
    const baseOffset = data.readBigInt64BE(start);
    this.baseOffset = baseOffset;
    const context = options.context;
    if (end - start < RECORD_BATCH_OVERHEAD) {
      throw corruptBatch(
        baseOffset,
        context,
        `batch length ${data.readInt32BE(start + BATCH_LENGTH)} is smaller than a batch header (${RECORD_BATCH_OVERHEAD - LOG_OVERHEAD})`,
      );
    }
    this.crc = data.readUInt32BE(start + CRC);
    if (options.verifyCrc) {
      const actual = crc32c(data, start + ATTRIBUTES, end);
      if (actual !== this.crc) {
        throw corruptBatch(
          baseOffset,
          context,
          `CRC-32C is 0x${actual.toString(16).padStart(8, '0')}, the batch says 0x${this.crc.toString(16).padStart(8, '0')}`,
        );
      }
    }
    const attributes = data.readInt16BE(start + ATTRIBUTES);
    const compression = compressionTypeFromId(attributes & COMPRESSION_MASK);
    if (compression === undefined) {
      throw corruptBatch(baseOffset, context, `unknown compression codec id ${attributes & COMPRESSION_MASK}`);
    }
    const lastOffsetDelta = data.readInt32BE(start + LAST_OFFSET_DELTA);
    if (lastOffsetDelta < 0) throw corruptBatch(baseOffset, context, `negative last offset delta ${lastOffsetDelta}`);
    const recordCount = data.readInt32BE(start + RECORDS_COUNT);
    if (recordCount < 0) throw corruptBatch(baseOffset, context, `negative record count ${recordCount}`);
    this.compression = compression;
    this.timestampType = (attributes & TIMESTAMP_TYPE_FLAG) !== 0 ? 'LogAppendTime' : 'CreateTime';
    this.isTransactional = (attributes & TRANSACTIONAL_FLAG) !== 0;
    this.isControl = (attributes & CONTROL_FLAG) !== 0;
    this.lastOffset = baseOffset + BigInt(lastOffsetDelta);
    this.nextOffset = this.lastOffset + 1n;
    this.sizeInBytes = end - start;
    this.partitionLeaderEpoch = data.readInt32BE(start + PARTITION_LEADER_EPOCH);
    this.baseTimestamp = readInt64AsNumber(data, start + BASE_TIMESTAMP);
    this.deleteHorizonMs = (attributes & DELETE_HORIZON_FLAG) !== 0 ? this.baseTimestamp : undefined;
    this.maxTimestamp = readInt64AsNumber(data, start + MAX_TIMESTAMP);
    this.producerId = data.readBigInt64BE(start + PRODUCER_ID);
    this.producerEpoch = data.readInt16BE(start + PRODUCER_EPOCH);
    this.baseSequence = data.readInt32BE(start + BASE_SEQUENCE);
    this.recordCount = recordCount;
    this.data = data;
    this.start = start;
    this.end = end;
    this.options = options;
  }

  records(): DecodedRecord[] {
    const options = this.options;
    let buf = this.data;
    let pos = this.start + RECORD_BATCH_OVERHEAD;
    let end = this.end;
    if (this.compression !== 'none') {
      const codec = getCompressionCodec(this.compression);
      try {
        buf = codec.decompress(buf.subarray(pos, end), options.maxDecompressedBytes);
      } catch (error) {
        if (error instanceof CorruptRecordError)
          throw corruptBatch(this.baseOffset, options.context, error.message, error);
        throw error;
      }
      pos = 0;
      end = buf.length;
    }
    return this.decode(new RecordCursor(buf, pos, end, this.baseOffset, options.context));
  }

  private decode(c: RecordCursor): DecodedRecord[] {
    const options = this.options;
    const topic = options.topic;
    const partition = options.partition;
    const timestampType = this.timestampType;
    const logAppendTime = timestampType === 'LogAppendTime';
    const maxTimestamp = this.maxTimestamp;
    const baseTimestamp = this.baseTimestamp;
    const leaderEpoch = this.partitionLeaderEpoch === -1 ? undefined : this.partitionLeaderEpoch;
    const baseOffset = this.baseOffset;
    const baseNumber = Number(baseOffset);
    const numericOffsets = baseNumber >= 0 && baseNumber <= SAFE_OFFSET_LIMIT;
    const count = this.recordCount;
    const out: DecodedRecord[] = [];
    for (let i = 0; i < count; i++) {
      const length = c.varint();
      if (length < 0 || length > c.end - c.pos) {
        c.fail(`record ${i} of ${count} declares ${length} bytes, ${c.end - c.pos} remain`);
      }
      const recordEnd = c.pos + length;
      c.pos++; // attributes: unused by Kafka
      const timestampDelta = c.varlong();
      const offsetDelta = c.varint();
      const key = c.bytes();
      const value = c.bytes();
      if (c.pos > recordEnd) c.fail(`record ${i} declares ${length} bytes but its key and value take more`);
      const headerCount = c.varint();
      let headers: readonly RecordHeader[] = NO_HEADERS;
      if (headerCount !== 0) {
        // Each header takes at least two bytes (two length varints): a larger count cannot be right.
        if (headerCount < 0 || headerCount > (recordEnd - c.pos) / 2) {
          c.fail(`record ${i} declares ${headerCount} headers in ${recordEnd - c.pos} bytes`);
        }
        const list: RecordHeader[] = new Array(headerCount);
        for (let h = 0; h < headerCount; h++) {
          const headerKey = c.string();
          list[h] = { key: headerKey, value: c.bytes() };
        }
        headers = list;
      }
      if (c.pos !== recordEnd)
        c.fail(`record ${i} declares ${length} bytes but its fields take ${c.pos - recordEnd + length}`);
      out.push({
        topic,
        partition,
        offset: numericOffsets ? BigInt(baseNumber + offsetDelta) : baseOffset + BigInt(offsetDelta),
        timestamp: logAppendTime ? maxTimestamp : baseTimestamp + timestampDelta,
        timestampType,
        key,
        value,
        headers,
        leaderEpoch,
      });
    }
    if (c.pos !== c.end) c.fail(`${c.end - c.pos} bytes remain after the ${count} records the header declares`);
    return out;
  }

  controlType(): ControlRecordType | undefined {
    if (!this.isControl) return undefined;
    const first = this.records()[0];
    if (first === undefined) return undefined;
    const type = parseControlRecordKey(first.key);
    if (typeof type === 'object') throw corruptBatch(this.baseOffset, this.options.context, type.fault);
    return type;
  }
}
