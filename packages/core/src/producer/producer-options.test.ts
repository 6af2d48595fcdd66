import { describe, expect, it, vi } from 'vitest';
import { ConfigError } from '../errors/client-errors.js';
import type { Logger } from '../utils/logger.js';
import { type ProducerOptions, resolveProducerOptions } from './producer-options.js';

function capture(): { logger: Logger; warnings: string[] } {
  const warnings: string[] = [];
  const logger: Logger = { debug: vi.fn(), info: vi.fn(), warn: (m) => warnings.push(m), error: vi.fn() };
  return { logger, warnings };
}

const base = { brokers: ['127.0.0.1:9092'] } as const;

function resolve(options: Omit<ProducerOptions, 'brokers'>) {
  const { logger, warnings } = capture();
  return { resolved: resolveProducerOptions({ ...base, logger, ...options }), warnings };
}

describe('resolveProducerOptions', () => {
  it('applies the Java 4.x defaults', () => {
    const { resolved, warnings } = resolve({});
    expect(resolved).toMatchObject({
      acks: -1,
      idempotent: true,
      transactionalId: undefined,
      transactionTimeoutMs: 60_000,
      batchSize: 16_384,
      lingerMs: 5,
      compression: 'none',
      maxRequestSize: 1_048_576,
      bufferMemory: 33_554_432,
      maxBlockMs: 60_000,
      retries: 2_147_483_647,
      deliveryTimeoutMs: 120_000,
      maxInFlight: 5,
      partitioner: 'default',
      allowAutoCreateTopics: true,
    });
    expect(resolved.client.retryBackoffMs).toBe(100);
    expect(warnings).toEqual([]);
  });

  it.each([
    [{ acks: 1 as const }, /acks is 1/],
    [{ acks: 0 as const }, /acks is 0/],
    [{ retries: 0 }, /retries is 0/],
    [{ maxInFlightRequestsPerConnection: 6 }, /maxInFlightRequestsPerConnection is 6/],
  ])('turns default idempotence off with a warning when %j conflicts', (options, reason) => {
    const { resolved, warnings } = resolve(options);
    expect(resolved.idempotent).toBe(false);
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(reason);
    expect(warnings[0]).toMatch(/enableIdempotence: false/);
  });

  it.each([
    [{ enableIdempotence: true, acks: 1 as const }, /enableIdempotence is true.*acks is 1/],
    [{ enableIdempotence: true, maxInFlightRequestsPerConnection: 10 }, /at most 5/],
    [{ enableIdempotence: true, retries: 0 }, /retries is 0/],
    [{ transactionalId: 'tx', acks: 0 as const }, /transactionalId is set.*acks is 0/],
    [{ transactionalId: 'tx', enableIdempotence: false }, /transactionalId needs idempotence/],
  ])('rejects an explicit conflict with idempotence: %j', (options, message) => {
    expect(() => resolve(options)).toThrow(ConfigError);
    expect(() => resolve(options)).toThrow(message);
  });

  it('keeps idempotence off silently when asked, and accepts acks -1 as all', () => {
    expect(resolve({ enableIdempotence: false, acks: 1 })).toMatchObject({
      resolved: { idempotent: false, acks: 1 },
      warnings: [],
    });
    expect(resolve({ acks: -1, transactionalId: 'tx' }).resolved).toMatchObject({
      idempotent: true,
      acks: -1,
      transactionalId: 'tx',
    });
  });

  it('requires deliveryTimeoutMs >= lingerMs + requestTimeoutMs when set, and raises the default to fit', () => {
    expect(() => resolve({ deliveryTimeoutMs: 10_000, lingerMs: 100, requestTimeoutMs: 10_000 })).toThrow(
      /deliveryTimeoutMs \(10000\) must be at least lingerMs \+ requestTimeoutMs \(100 \+ 10000 = 10100\)/,
    );
    expect(resolve({ lingerMs: 1000, requestTimeoutMs: 200_000 }).resolved.deliveryTimeoutMs).toBe(201_000);
    expect(resolve({ deliveryTimeoutMs: 5000, lingerMs: 0, requestTimeoutMs: 5000 }).resolved.deliveryTimeoutMs).toBe(
      5000,
    );
  });

  it.each([
    [{ acks: 2 as unknown as 1 }, /acks must be 0, 1, -1 or 'all'/],
    [{ batchSize: 0 }, /batchSize must be a positive integer/],
    [{ lingerMs: -1 }, /lingerMs must be a non-negative integer/],
    [{ compression: 'brotli' as 'gzip' }, /compression must be one of/],
    [{ bufferMemory: 1.5 }, /bufferMemory must be a positive integer/],
    [{ maxBlockMs: -5 }, /maxBlockMs/],
    [{ partitioner: 'random' as 'default' }, /partitioner must be/],
    [{ valueSerializer: 'json' as unknown as () => null }, /valueSerializer must be a function/],
    [{ transactionalId: '' }, /transactionalId must be a non-empty string/],
    [{ compressionLevel: 2.5 }, /compressionLevel must be an integer/],
    [{ allowAutoCreateTopics: 'yes' as unknown as boolean }, /allowAutoCreateTopics must be true or false/],
  ])('rejects invalid values: %j', (options, message) => {
    expect(() => resolve(options)).toThrow(message);
  });
});
