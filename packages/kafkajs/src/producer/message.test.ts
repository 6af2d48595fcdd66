import { describe, expect, it } from 'vitest';
import { KafkaJSNonRetriableError } from '../errors/errors.js';
import { checkTopicMessages, toCoreRecord } from './message.js';

describe('messages', () => {
  it('headers become the engine list, arrays repeating their key', () => {
    const record = toCoreRecord(
      't',
      { key: 'k', value: 'v', headers: { a: '1', b: [Buffer.from('x'), 'y'], skipped: undefined }, timestamp: '42' },
      3,
    );
    expect(record).toMatchObject({ topic: 't', partition: 3, key: 'k', value: 'v', timestamp: 42 });
    expect(record.headers).toEqual([
      { key: 'a', value: '1' },
      { key: 'b', value: Buffer.from('x') },
      { key: 'b', value: 'y' },
    ]);
  });

  it('a null value makes a tombstone; a missing value is refused as KafkaJS refuses it', () => {
    expect(toCoreRecord('t', { key: 'k', value: null }, 0).value).toBeNull();
    expect(() => checkTopicMessages('t', [{ key: 'k' }])).toThrow(KafkaJSNonRetriableError);
    expect(() => checkTopicMessages('t', [{ key: 'k' }])).toThrow(/Invalid message without value for topic "t"/);
    expect(() => checkTopicMessages('', [])).toThrow('Invalid topic');
    expect(() => checkTopicMessages('t', 'nope')).toThrow(/Invalid messages array/);
  });

  it('refuses a timestamp that is not a number', () => {
    expect(() => toCoreRecord('t', { value: 'v', timestamp: 'yesterday' }, 0)).toThrow(KafkaJSNonRetriableError);
  });
});
