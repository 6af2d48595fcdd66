import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ProtocolError } from '../errors/client-errors.js';
import { FrameDecoder } from './frame-decoder.js';

function frame(body: Buffer): Buffer {
  const size = Buffer.alloc(4);
  size.writeInt32BE(body.length);
  return Buffer.concat([size, body]);
}

describe('FrameDecoder', () => {
  it('hands out frames that arrive whole as views of the chunk, without copying', () => {
    const frames: Buffer[] = [];
    const decoder = new FrameDecoder(1024, (f) => frames.push(f));
    const chunk = Buffer.concat([frame(Buffer.from('abc')), frame(Buffer.from('')), frame(Buffer.from('xy'))]);
    decoder.push(chunk);
    expect(frames.map((f) => f.toString())).toEqual(['abc', '', 'xy']);
    expect(frames[0]!.buffer).toBe(chunk.buffer);
    expect(decoder.idle).toBe(true);
  });

  it('reassembles frames split at every possible point, size prefix included', () => {
    fc.assert(
      fc.property(
        fc.array(fc.uint8Array({ maxLength: 40 }), { minLength: 1, maxLength: 6 }),
        fc.array(fc.integer({ min: 1, max: 7 }), { minLength: 1, maxLength: 50 }),
        (bodies, cuts) => {
          const stream = Buffer.concat(bodies.map((b) => frame(Buffer.from(b))));
          const frames: string[] = [];
          const decoder = new FrameDecoder(1024, (f) => frames.push(f.toString('hex')));
          let offset = 0;
          let i = 0;
          while (offset < stream.length) {
            const step = cuts[i++ % cuts.length]!;
            decoder.push(stream.subarray(offset, offset + step));
            offset += step;
          }
          expect(frames).toEqual(bodies.map((b) => Buffer.from(b).toString('hex')));
          expect(decoder.idle).toBe(true);
        },
      ),
    );
  });

  it('rejects a frame larger than the limit before allocating it', () => {
    const decoder = new FrameDecoder(100, () => {});
    const prefix = Buffer.alloc(4);
    prefix.writeInt32BE(0x7fffffff);
    expect(() => decoder.push(prefix)).toThrow(ProtocolError);
  });

  it('rejects a negative size', () => {
    const decoder = new FrameDecoder(100, () => {});
    expect(() => decoder.push(Buffer.from([0xff, 0xff, 0xff, 0xfe]))).toThrow(/outside 0\.\.100/);
  });
});
