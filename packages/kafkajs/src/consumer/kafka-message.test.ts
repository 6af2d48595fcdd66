import { describe, expect, it } from 'vitest';
import { toKafkaMessage } from './kafka-message.js';

describe('toKafkaMessage', () => {
  it('gives Buffers, string offsets and timestamps, and headers as an object with arrays for repeated keys', () => {
    const message = toKafkaMessage({
      topic: 't',
      partition: 0,
      offset: 9_007_199_254_740_993n,
      timestamp: 1_700_000_000_000,
      timestampType: 'CreateTime',
      key: Buffer.from('k'),
      value: Buffer.from('v'),
      headers: [
        { key: 'a', value: Buffer.from('1') },
        { key: 'b', value: Buffer.from('2') },
        { key: 'b', value: Buffer.from('3') },
        { key: 'b', value: Buffer.from('4') },
      ],
      leaderEpoch: 0,
      serializedKeySize: 1,
      serializedValueSize: 1,
    });
    expect(message.offset).toBe('9007199254740993');
    expect(message.timestamp).toBe('1700000000000');
    expect(message.key).toEqual(Buffer.from('k'));
    expect(message.attributes).toBe(0);
    expect(message.headers).toEqual({
      a: Buffer.from('1'),
      b: [Buffer.from('2'), Buffer.from('3'), Buffer.from('4')],
    });
  });
});
