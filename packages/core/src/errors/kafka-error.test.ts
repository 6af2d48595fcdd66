import { describe, expect, it } from 'vitest';
import { ConnectionError, CorruptRecordError, ProtocolError } from './client-errors.js';
import { isKafkaError, KafkaError } from './kafka-error.js';

describe('KafkaError', () => {
  it('carries code, retriable flag, context and cause', () => {
    const cause = new Error('socket hang up');
    const error = new ConnectionError('Connection closed', { broker: '1@127.0.0.1:9092', cause });
    expect(error.code).toBe('ERR_CONNECTION');
    expect(error.retriable).toBe(true);
    expect(error.broker).toBe('1@127.0.0.1:9092');
    expect(error.cause).toBe(cause);
    expect(error.message).toBe('Connection closed (broker 1@127.0.0.1:9092)');
    expect(error.name).toBe('ConnectionError');
  });

  it('names the Kafka error where there is one', () => {
    const error = new CorruptRecordError('CRC mismatch', { topic: 't', partition: 2, offset: 10n });
    expect(error.kafkaErrorName).toBe('CORRUPT_MESSAGE');
    expect(error.kafkaErrorCode).toBe(2);
    expect(error.offset).toBe(10n);
    expect(error.message).toBe('CRC mismatch (topic t, partition 2)');
  });

  it('is recognised across package copies by its brand, while subclasses keep plain instanceof', () => {
    const foreign = Object.assign(new Error('x'), { [Symbol.for('vltava.KafkaError')]: true });
    expect(foreign instanceof KafkaError).toBe(true);
    expect(isKafkaError(new Error('plain'))).toBe(false);
    expect(new ProtocolError('bad frame') instanceof ConnectionError).toBe(false);
    expect(new ProtocolError('bad frame') instanceof ProtocolError).toBe(true);
  });
});
