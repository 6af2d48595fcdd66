import { describe, expect, it } from 'vitest';
import { Batch } from './batch.js';
import type { KafkaMessage } from './kafka-message.js';

const message = (offset: number): KafkaMessage => ({
  key: null,
  value: Buffer.from('v'),
  timestamp: '0',
  attributes: 0,
  offset: String(offset),
  headers: {},
});

describe('Batch', () => {
  it('reports its offsets and lags as strings, as KafkaJS computes them', () => {
    const batch = new Batch('t', 0, '20', [message(10), message(11), message(12)]);
    expect(batch.isEmpty()).toBe(false);
    expect(batch.firstOffset()).toBe('10');
    expect(batch.lastOffset()).toBe('12');
    expect(batch.offsetLag()).toBe('7');
    expect(batch.offsetLagLow()).toBe('9');
  });

  it('an empty batch ends at the high watermark minus one', () => {
    const batch = new Batch('t', 0, '20', []);
    expect(batch.isEmpty()).toBe(true);
    expect(batch.firstOffset()).toBeNull();
    expect(batch.lastOffset()).toBe('19');
    expect(batch.offsetLagLow()).toBe('0');
  });
});
