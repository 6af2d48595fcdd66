import zlib from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { ZipArchive } from './zip.js';

/** Builds a zip archive (one stored and one deflated entry, with a trailing comment) the way jar tools do. */
function buildZip(files: Array<{ name: string; data: Buffer; deflate: boolean }>, comment = ''): Buffer {
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  for (const f of files) {
    const body = f.deflate ? zlib.deflateRawSync(f.data) : f.data;
    const crc = zlib.crc32(f.data);
    const name = Buffer.from(f.name);
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(f.deflate ? 8 : 0, 8);
    local.writeUInt32LE(crc, 14);
    local.writeUInt32LE(body.length, 18);
    local.writeUInt32LE(f.data.length, 22);
    local.writeUInt16LE(name.length, 26);
    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE(f.deflate ? 8 : 0, 10);
    central.writeUInt32LE(crc, 16);
    central.writeUInt32LE(body.length, 20);
    central.writeUInt32LE(f.data.length, 24);
    central.writeUInt16LE(name.length, 28);
    central.writeUInt32LE(offset, 42);
    locals.push(local, name, body);
    centrals.push(central, name);
    offset += 30 + name.length + body.length;
  }
  const cd = Buffer.concat(centrals);
  const eocd = Buffer.alloc(22);
  eocd.writeUInt32LE(0x06054b50, 0);
  eocd.writeUInt16LE(files.length, 8);
  eocd.writeUInt16LE(files.length, 10);
  eocd.writeUInt32LE(cd.length, 12);
  eocd.writeUInt32LE(offset, 16);
  eocd.writeUInt16LE(comment.length, 20);
  return Buffer.concat([...locals, cd, eocd, Buffer.from(comment)]);
}

describe('ZipArchive', () => {
  const json = Buffer.from('{ "name": "MetadataRequest" }'.repeat(20));
  const zip = buildZip(
    [
      { name: 'common/message/MetadataRequest.json', data: json, deflate: true },
      { name: 'kafka/kafka-version.properties', data: Buffer.from('version=4.4.0\n'), deflate: false },
    ],
    'a comment',
  );

  it('lists and reads stored and deflated entries', () => {
    const archive = new ZipArchive(zip);
    expect(archive.list('common/message/')).toStrictEqual(['common/message/MetadataRequest.json']);
    expect(archive.read('common/message/MetadataRequest.json').equals(json)).toBe(true);
    expect(archive.readText('kafka/kafka-version.properties')).toBe('version=4.4.0\n');
    expect(() => archive.read('missing')).toThrow(/has no entry missing/);
  });

  it('rejects corrupt entries and non-zip input', () => {
    const corrupt = Buffer.from(zip);
    // Flip a byte of the stored entry's data (after the first entry, local header and name of the second).
    const at = corrupt.indexOf(Buffer.from('version=4.4.0'));
    corrupt[at] = 0x56;
    expect(() => new ZipArchive(corrupt).read('kafka/kafka-version.properties')).toThrow(/CRC/);
    expect(() => new ZipArchive(Buffer.from('not a zip at all, not even close'))).toThrow(/not a zip archive/);
  });
});
