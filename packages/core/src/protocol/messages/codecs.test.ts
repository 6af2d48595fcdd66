import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { messageArbitrary } from '../../../test/support/message-arbitraries.js';
import { ProtocolError } from '../../errors/client-errors.js';
import { Reader } from '../primitives/reader.js';
import { Writer } from '../primitives/writer.js';
import { messageCodecs } from './generated/index.js';
import { messageSchemas } from './generated/schemas.js';

/** Property runs per message version: ~700 message versions in all, so a few seconds for the whole suite. */
const RUNS = Number(process.env.CODEC_RUNS ?? 12);

/** A low threshold, so that bytes and records fields also go through the by-reference path of the writer. */
const REFERENCE_THRESHOLD = 6;

function encode(name: string, version: number, value: unknown): Buffer {
  const writer = new Writer(32, REFERENCE_THRESHOLD);
  messageCodecs[name]!.encode(writer, version, value);
  return writer.toBuffer();
}

describe('every generated message round-trips at every version', () => {
  it('covers every declared message', () => {
    expect(messageSchemas.length).toBeGreaterThan(140);
    for (const schema of messageSchemas) expect(messageCodecs[schema.name], schema.name).toBeDefined();
  });

  for (const schema of messageSchemas) {
    it(`${schema.name} v${schema.validVersions[0]}-${schema.validVersions[1]}`, () => {
      const codec = messageCodecs[schema.name]!;
      for (let version = schema.validVersions[0]; version <= schema.validVersions[1]; version++) {
        fc.assert(
          fc.property(messageArbitrary(schema, version), (value) => {
            const bytes = encode(schema.name, version, value);
            const reader = new Reader(bytes);
            const decoded = codec.decode(reader, version);
            expect(decoded, `${schema.name} v${version}`).toStrictEqual(value);
            expect(reader.remaining, `${schema.name} v${version} leaves bytes`).toBe(0);
            // Encoding what was decoded gives the same bytes: the encoding is canonical.
            expect(encode(schema.name, version, decoded).equals(bytes), `${schema.name} v${version} re-encodes`).toBe(
              true,
            );
          }),
          { numRuns: RUNS },
        );
      }
    });
  }
});

describe('decoders reject bad input with ProtocolError only', () => {
  /** Runs `decode` and fails the test on anything thrown that is not a ProtocolError. */
  function decodeOrProtocolError(name: string, version: number, bytes: Buffer): 'ok' | 'protocol-error' {
    try {
      messageCodecs[name]!.decode(new Reader(bytes), version);
      return 'ok';
    } catch (error) {
      if (error instanceof ProtocolError) return 'protocol-error';
      throw new Error(`${name} v${version} threw ${String(error)} on ${bytes.toString('hex')}`, { cause: error });
    }
  }

  for (const schema of messageSchemas) {
    it(`${schema.name}: every truncation, random bytes and corrupted encodings`, () => {
      for (let version = schema.validVersions[0]; version <= schema.validVersions[1]; version++) {
        const samples = fc.sample(messageArbitrary(schema, version, { maxArrayLength: 2 }), {
          numRuns: 2,
          seed: version,
        });
        for (const value of samples) {
          const full = encode(schema.name, version, value);
          for (let cut = 0; cut < full.length; cut++) {
            expect(decodeOrProtocolError(schema.name, version, full.subarray(0, cut)), `cut ${cut}`).toBe(
              'protocol-error',
            );
          }
        }
        fc.assert(
          fc.property(
            fc.uint8Array({ maxLength: 48 }),
            fc.nat(),
            fc.integer({ min: 0, max: 255 }),
            (random, position, byte) => {
              decodeOrProtocolError(schema.name, version, Buffer.from(random));
              const sample = samples[position % samples.length];
              if (sample === undefined) return;
              const corrupted = Buffer.from(encode(schema.name, version, sample));
              if (corrupted.length === 0) return;
              corrupted[position % corrupted.length] = byte;
              decodeOrProtocolError(schema.name, version, corrupted);
            },
          ),
          { numRuns: 8 },
        );
      }
    });
  }

  it('fails fast on a lying array count instead of allocating', () => {
    // MetadataResponse v12: throttle time, then the brokers array with a compact count of 2^31 - 2.
    const lying = Buffer.from('00000000ffffffff07000000', 'hex');
    const started = performance.now();
    expect(() => messageCodecs.MetadataResponse!.decode(new Reader(lying), 12)).toThrow(
      /MetadataResponse v12: brokers claims 2147483646 elements but only 3 bytes remain/,
    );
    expect(performance.now() - started).toBeLessThan(50);
  });
});
