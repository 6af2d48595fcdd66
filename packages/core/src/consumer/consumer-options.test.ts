import { describe, expect, it } from 'vitest';
import { ConfigError } from '../errors/client-errors.js';
import { resolveConsumerOptions } from './consumer-options.js';
import { deserializers } from './deserializers.js';

const brokers = ['127.0.0.1:9092'];

describe('resolveConsumerOptions', () => {
  it("applies the Java client's defaults", () => {
    const o = resolveConsumerOptions({ brokers });
    expect(o).toMatchObject({
      groupProtocol: 'classic',
      partitionAssignors: ['range', 'cooperative-sticky'],
      sessionTimeoutMs: 45_000,
      heartbeatIntervalMs: 3000,
      maxPollIntervalMs: 300_000,
      rebalanceTimeoutMs: 300_000,
      autoOffsetReset: 'latest',
      enableAutoCommit: true,
      autoCommitIntervalMs: 5000,
      fetchMinBytes: 1,
      fetchMaxWaitMs: 500,
      fetchMaxBytes: 52_428_800,
      maxPartitionFetchBytes: 1_048_576,
      maxPollRecords: 500,
      isolationLevel: 'read_uncommitted',
      checkCrcs: true,
      allowAutoCreateTopics: true,
      defaultApiTimeoutMs: 60_000,
    });
    expect(o.maxPrefetchBytes).toBeGreaterThan(0);
    expect(o.maxPrefetchRecords).toBeGreaterThan(0);
  });

  it('keeps typed deserializers', () => {
    const o = resolveConsumerOptions({ brokers, valueDeserializer: deserializers.string });
    expect(o.valueDeserializer(Buffer.from('x'), { topic: 't', partition: 0, headers: [] })).toBe('x');
  });

  it.each([
    [{ groupProtocol: 'consumer', sessionTimeoutMs: 10_000 }, /sessionTimeoutMs applies to groupProtocol 'classic'/],
    [{ groupProtocol: 'consumer', partitionAssignors: ['range'] }, /partitionAssignors applies/],
    [{ groupRemoteAssignor: 'uniform' }, /groupRemoteAssignor applies to groupProtocol 'consumer'/],
    [{ groupProtocol: 'eager' }, /groupProtocol must be/],
    [{ partitionAssignors: ['fastest'] }, /Unknown assignor 'fastest'/],
    [{ partitionAssignors: [] }, /at least one assignor/],
    [{ partitionAssignors: ['range', 'range'] }, /appears twice/],
    [{ groupInstanceId: 'i' }, /groupInstanceId needs a groupId/],
    [{ groupId: '' }, /groupId must be a non-empty string/],
    [{ heartbeatIntervalMs: 5000, sessionTimeoutMs: 5000 }, /lower than sessionTimeoutMs/],
    [{ autoOffsetReset: 'smallest' }, /autoOffsetReset must be/],
    [{ isolationLevel: 'serializable' }, /isolationLevel must be/],
    [{ maxPollRecords: 0 }, /maxPollRecords must be a positive integer/],
    [{ fetchMaxWaitMs: -1 }, /fetchMaxWaitMs must be a non-negative integer/],
    [{ enableAutoCommit: 'yes' }, /enableAutoCommit must be true or false/],
    [{ valueDeserializer: 'string' }, /valueDeserializer must be a function/],
  ])('rejects %o', (options, message) => {
    expect(() => resolveConsumerOptions({ brokers, ...(options as object) })).toThrow(ConfigError);
    expect(() => resolveConsumerOptions({ brokers, ...(options as object) })).toThrow(message);
  });
});
