import { ConfigError, ConnectionError, KafkaTimeoutError } from '@vltava/core';
import { createBrokerError } from '@vltava/core/internal';
import { describe, expect, it } from 'vitest';
import {
  KafkaJSConnectionError,
  KafkaJSError,
  KafkaJSNonRetriableError,
  KafkaJSNumberOfRetriesExceeded,
  KafkaJSOffsetOutOfRange,
  KafkaJSProtocolError,
} from './errors.js';
import { retriesExhausted, toKafkaJSError } from './from-core.js';

describe('toKafkaJSError', () => {
  it('a broker error code becomes a KafkaJSProtocolError with KafkaJS type, code and retriable flag', () => {
    const error = toKafkaJSError(createBrokerError(3, { topic: 't' })) as KafkaJSProtocolError;
    expect(error).toBeInstanceOf(KafkaJSProtocolError);
    expect(error).toBeInstanceOf(KafkaJSError);
    expect(error.name).toBe('KafkaJSProtocolError');
    expect(error.type).toBe('UNKNOWN_TOPIC_OR_PARTITION');
    expect(error.code).toBe(3);
    expect(error.retriable).toBe(true);
    expect((error.cause as { code?: string }).code).toBe('UNKNOWN_TOPIC_OR_PARTITION');
  });

  it('keeps the names KafkaJS uses for renamed codes', () => {
    expect((toKafkaJSError(createBrokerError(6, {})) as KafkaJSProtocolError).type).toBe('NOT_LEADER_FOR_PARTITION');
    expect((toKafkaJSError(createBrokerError(16, {})) as KafkaJSProtocolError).type).toBe('NOT_COORDINATOR_FOR_GROUP');
    expect((toKafkaJSError(createBrokerError(27, {})) as KafkaJSProtocolError).type).toBe('REBALANCE_IN_PROGRESS');
  });

  it('OFFSET_OUT_OF_RANGE carries its partition', () => {
    const error = toKafkaJSError(createBrokerError(1, { topic: 't', partition: 4 })) as KafkaJSOffsetOutOfRange;
    expect(error).toBeInstanceOf(KafkaJSOffsetOutOfRange);
    expect([error.topic, error.partition]).toEqual(['t', 4]);
  });

  it('client errors map to their KafkaJS classes', () => {
    expect(toKafkaJSError(new ConnectionError('refused', { broker: '127.0.0.1:1' }))).toBeInstanceOf(
      KafkaJSConnectionError,
    );
    const config = toKafkaJSError(new ConfigError('bad'));
    expect(config).toBeInstanceOf(KafkaJSNonRetriableError);
    expect((config as KafkaJSError).retriable).toBe(false);
  });

  it('errors of application code pass through', () => {
    const own = new RangeError('mine');
    expect(toKafkaJSError(own)).toBe(own);
  });

  it('a retriable failure the engine gave up on becomes KafkaJSNumberOfRetriesExceeded', () => {
    const exhausted = retriesExhausted(new KafkaTimeoutError('no metadata'), 5) as KafkaJSNumberOfRetriesExceeded;
    expect(exhausted).toBeInstanceOf(KafkaJSNumberOfRetriesExceeded);
    expect(exhausted.retriable).toBe(false);
    expect(exhausted.retryCount).toBe(5);
    expect(exhausted.cause).toBeInstanceOf(KafkaJSError);
    const fatal = retriesExhausted(createBrokerError(10, {}), 5);
    expect(fatal).toBeInstanceOf(KafkaJSProtocolError);
  });
});
