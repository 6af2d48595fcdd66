import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../errors/client-errors.js';
import { resolveShareConsumerOptions, type ShareConsumerOptions } from './share-consumer-options.js';

const base: ShareConsumerOptions = { brokers: ['127.0.0.1:9092'], groupId: 'g' };

describe('resolveShareConsumerOptions', () => {
  it('applies the Java defaults', () => {
    const o = resolveShareConsumerOptions(base);
    expect(o).toMatchObject({
      shareAcknowledgementMode: 'implicit',
      shareAcquireMode: 'batch_optimized',
      maxPollRecords: 500,
      fetchMaxWaitMs: 500,
      maxPrefetchRecords: 500,
      defaultApiTimeoutMs: 60_000,
    });
  });

  it('rejects a missing group and unknown modes with ConfigError', () => {
    expect(() => resolveShareConsumerOptions({ ...base, groupId: '' })).toThrow(ConfigError);
    expect(() =>
      resolveShareConsumerOptions({ ...base, shareAcknowledgementMode: 'manual' as unknown as 'explicit' }),
    ).toThrow(/shareAcknowledgementMode/);
    expect(() =>
      resolveShareConsumerOptions({ ...base, shareAcquireMode: 'all' as unknown as 'record_limit' }),
    ).toThrow(/shareAcquireMode/);
    expect(() => resolveShareConsumerOptions({ ...base, maxPollRecords: 0 })).toThrow(/maxPollRecords/);
  });
});
