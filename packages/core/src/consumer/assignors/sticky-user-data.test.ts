import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  decodeCooperativeStickyUserData,
  decodeStickyUserData,
  encodeCooperativeStickyUserData,
  encodeStickyUserData,
} from './sticky-user-data.js';

// Bytes written by the Java client (kafka-clients 4.4.0): StickyAssignor.subscriptionUserData after
// onAssignment([orders-2, orders-0, payments-1], generation 7), and CooperativeStickyAssignor's after generation 12.
const JAVA_STICKY_USER_DATA =
  '0000000200087061796d656e7473000000010000000100066f726465727300000002000000020000000000000007';
const JAVA_COOPERATIVE_USER_DATA = '0000000c';

describe('sticky assignor user data', () => {
  it('reads what the Java StickyAssignor writes', () => {
    const data = decodeStickyUserData(Buffer.from(JAVA_STICKY_USER_DATA, 'hex'));
    expect(data).toEqual({
      partitions: [
        { topic: 'payments', partition: 1 },
        { topic: 'orders', partition: 2 },
        { topic: 'orders', partition: 0 },
      ],
      generation: 7,
    });
  });

  it('writes the same fields as Java: topics with their partitions, then the generation', () => {
    const bytes = encodeStickyUserData(
      [
        { topic: 'orders', partition: 2 },
        { topic: 'payments', partition: 1 },
        { topic: 'orders', partition: 0 },
      ],
      7,
    );
    // Same content as Java's bytes, topics sorted by name and partitions ascending.
    expect(bytes.toString('hex')).toBe(
      '00000002' + // two topics
        '0006' +
        Buffer.from('orders').toString('hex') +
        '00000002' +
        '00000000' +
        '00000002' +
        '0008' +
        Buffer.from('payments').toString('hex') +
        '00000001' +
        '00000001' +
        '00000007', // generation
    );
  });

  it('round-trips any assignment and generation', () => {
    fc.assert(
      fc.property(
        fc.array(fc.record({ topic: fc.string({ unit: 'grapheme', maxLength: 20 }), partition: fc.nat(100_000) }), {
          maxLength: 30,
        }),
        fc.integer({ min: -1, max: 2 ** 31 - 1 }),
        (partitions, generation) => {
          const decoded = decodeStickyUserData(encodeStickyUserData(partitions, generation));
          expect(decoded?.generation).toBe(generation);
          const key = (p: { topic: string; partition: number }) => `${p.topic}\u0000${p.partition}`;
          expect(decoded?.partitions.map(key).sort()).toEqual(partitions.map(key).sort());
        },
      ),
    );
  });

  it('reads version 0 data, which has no generation', () => {
    const v1 = encodeStickyUserData([{ topic: 't', partition: 3 }], 5);
    const v0 = v1.subarray(0, v1.length - 4);
    expect(decodeStickyUserData(v0)).toEqual({ partitions: [{ topic: 't', partition: 3 }], generation: null });
  });

  it('rejects bytes that are not sticky user data', () => {
    const v1 = encodeStickyUserData([{ topic: 'topic', partition: 3 }], 5);
    expect(decodeStickyUserData(Buffer.alloc(0))).toBeNull();
    expect(decodeStickyUserData(v1.subarray(0, 9))).toBeNull(); // cut inside the topic name
    expect(decodeStickyUserData(Buffer.from('ffffffff', 'hex'))).toBeNull(); // negative topic count
    expect(decodeStickyUserData(Buffer.from('00000001ffff', 'hex'))).toBeNull(); // negative name length
    expect(decodeStickyUserData(Buffer.from('000000010001740000ffff', 'hex'))).toBeNull(); // too many partitions
  });
});

describe('cooperative-sticky assignor user data', () => {
  it('is the generation as one INT32, as Java writes it', () => {
    expect(encodeCooperativeStickyUserData(12).toString('hex')).toBe(JAVA_COOPERATIVE_USER_DATA);
    expect(decodeCooperativeStickyUserData(Buffer.from(JAVA_COOPERATIVE_USER_DATA, 'hex'))).toBe(12);
  });

  it('reads as generation -1 when absent or too short', () => {
    expect(decodeCooperativeStickyUserData(null)).toBe(-1);
    expect(decodeCooperativeStickyUserData(Buffer.from('0102', 'hex'))).toBe(-1);
  });
});
