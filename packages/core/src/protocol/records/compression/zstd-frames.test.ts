import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import { CorruptRecordError } from '../../../errors/client-errors.js';
import { zstdFrameEnds } from './zstd-frames.js';
import type { ZstdNapiBinding } from './zstd-napi-backend.js';

const binding = createRequire(import.meta.url)('zstd-napi/binding.js') as ZstdNapiBinding;

function frame(data: Buffer, level = 3): Buffer {
  const out = Buffer.alloc(binding.compressBound(data.length));
  return out.subarray(0, new binding.CCtx().compress(out, data, level));
}

describe('zstdFrameEnds', () => {
  it('finds every frame of concatenated data, skipping skippable frames', () => {
    const a = frame(Buffer.alloc(200_000, 'abc'));
    const b = frame(Buffer.from('hello'));
    const raw = frame(Buffer.from(Array.from({ length: 3000 }, (_, i) => (i * 7919) & 0xff)), 1);
    const skippable = Buffer.from([0x5a, 0x2a, 0x4d, 0x18, 3, 0, 0, 0, 1, 2, 3]);
    const data = Buffer.concat([a, skippable, b, raw]);
    expect(zstdFrameEnds(data)).toEqual([
      { start: 0, end: a.length },
      { start: a.length + skippable.length, end: a.length + skippable.length + b.length },
      { start: data.length - raw.length, end: data.length },
    ]);
    expect(zstdFrameEnds(Buffer.alloc(0))).toEqual([]);
  });

  it('reports truncation at every cut point and anything that is not a frame', () => {
    const a = frame(Buffer.alloc(100_000, 'xyz'));
    for (let cut = 1; cut < a.length; cut++) {
      expect(() => zstdFrameEnds(a.subarray(0, cut)), `cut ${cut}`).toThrow(CorruptRecordError);
    }
    expect(() => zstdFrameEnds(Buffer.concat([a, Buffer.from('garbage!')]))).toThrow(
      /something other than a zstd frame/,
    );
    const reserved = Buffer.from(a);
    reserved[4]! |= 0x08;
    expect(() => zstdFrameEnds(reserved)).toThrow(/reserved bit/);
  });
});
