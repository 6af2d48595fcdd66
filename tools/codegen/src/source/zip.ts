import zlib from 'node:zlib';

/** One file of a zip archive, as its central directory describes it. */
export interface ZipEntry {
  /** Path inside the archive (`common/message/MetadataRequest.json`). */
  readonly name: string;
  /** 0 = stored, 8 = deflated. */
  readonly method: number;
  readonly compressedSize: number;
  readonly size: number;
  readonly crc32: number;
  /** Offset of the entry's local header. */
  readonly localHeaderOffset: number;
}

const EOCD_SIGNATURE = 0x06054b50;
const CENTRAL_SIGNATURE = 0x02014b50;
const LOCAL_SIGNATURE = 0x04034b50;

/**
 * A minimal reader of zip archives (a jar is one): lists the central directory and inflates entries with
 * `zlib.inflateRawSync`. Handles stored and deflated entries; not ZIP64, encryption or multi-disk archives, which
 * a jar does not use.
 */
export class ZipArchive {
  readonly entries: ReadonlyMap<string, ZipEntry>;

  constructor(
    private readonly data: Buffer,
    private readonly label = 'zip archive',
  ) {
    this.entries = this.readCentralDirectory();
  }

  /** Names of the entries whose path starts with `prefix`, sorted. */
  list(prefix = ''): string[] {
    return [...this.entries.keys()].filter((name) => name.startsWith(prefix)).sort();
  }

  /** The uncompressed bytes of an entry, CRC-checked. */
  read(name: string): Buffer {
    const entry = this.entries.get(name);
    if (entry === undefined) throw new Error(`${this.label} has no entry ${name}`);
    const d = this.data;
    const at = entry.localHeaderOffset;
    if (at + 30 > d.length || d.readUInt32LE(at) !== LOCAL_SIGNATURE) {
      throw new Error(`${this.label}: bad local header for ${name}`);
    }
    const start = at + 30 + d.readUInt16LE(at + 26) + d.readUInt16LE(at + 28);
    const raw = d.subarray(start, start + entry.compressedSize);
    if (raw.length !== entry.compressedSize) throw new Error(`${this.label}: ${name} is truncated`);
    let out: Buffer;
    if (entry.method === 0) out = raw;
    else if (entry.method === 8) out = zlib.inflateRawSync(raw);
    else throw new Error(`${this.label}: ${name} uses unsupported compression method ${entry.method}`);
    if (out.length !== entry.size) throw new Error(`${this.label}: ${name} inflated to the wrong size`);
    const crc32 = (zlib as unknown as { crc32?: (data: Buffer) => number }).crc32;
    if (crc32 !== undefined && crc32(out) >>> 0 !== entry.crc32) {
      throw new Error(`${this.label}: ${name} fails its CRC check`);
    }
    return out;
  }

  /** The entry's bytes as UTF-8 text. */
  readText(name: string): string {
    return this.read(name).toString('utf8');
  }

  private readCentralDirectory(): Map<string, ZipEntry> {
    const d = this.data;
    // The end-of-central-directory record is 22 bytes plus a comment of up to 65535 bytes, at the very end.
    let eocd = -1;
    for (let i = d.length - 22; i >= Math.max(0, d.length - 22 - 0xffff); i--) {
      if (d.readUInt32LE(i) === EOCD_SIGNATURE) {
        eocd = i;
        break;
      }
    }
    if (eocd < 0) throw new Error(`${this.label} is not a zip archive (no end of central directory)`);
    const count = d.readUInt16LE(eocd + 10);
    const size = d.readUInt32LE(eocd + 12);
    let at = d.readUInt32LE(eocd + 16);
    if (count === 0xffff || size === 0xffffffff || at === 0xffffffff)
      throw new Error(`${this.label} is a ZIP64 archive`);
    const entries = new Map<string, ZipEntry>();
    for (let i = 0; i < count; i++) {
      if (at + 46 > d.length || d.readUInt32LE(at) !== CENTRAL_SIGNATURE) {
        throw new Error(`${this.label}: bad central directory entry ${i}`);
      }
      const nameLength = d.readUInt16LE(at + 28);
      const extraLength = d.readUInt16LE(at + 30);
      const commentLength = d.readUInt16LE(at + 32);
      const name = d.toString('utf8', at + 46, at + 46 + nameLength);
      entries.set(name, {
        name,
        method: d.readUInt16LE(at + 10),
        crc32: d.readUInt32LE(at + 16),
        compressedSize: d.readUInt32LE(at + 20),
        size: d.readUInt32LE(at + 24),
        localHeaderOffset: d.readUInt32LE(at + 42),
      });
      at += 46 + nameLength + extraLength + commentLength;
    }
    return entries;
  }
}
