import { describe, expect, it } from 'vitest';
import { ApiKeys } from '../protocol/messages/generated/index.js';
import { clientThrottles } from './quota-throttle.js';

describe('clientThrottles (KIP-219)', () => {
  it('leaves throttling to the client from the versions the Java client does', () => {
    expect(clientThrottles(ApiKeys.Produce, 5)).toBe(false);
    expect(clientThrottles(ApiKeys.Produce, 6)).toBe(true);
    expect(clientThrottles(ApiKeys.Fetch, 7)).toBe(false);
    expect(clientThrottles(ApiKeys.Fetch, 8)).toBe(true);
    expect(clientThrottles(ApiKeys.Metadata, 5)).toBe(false);
    expect(clientThrottles(ApiKeys.Metadata, 12)).toBe(true);
    expect(clientThrottles(ApiKeys.IncrementalAlterConfigs, 0)).toBe(true);
  });

  it('never throttles an API the Java client does not (the broker delays those itself)', () => {
    expect(clientThrottles(ApiKeys.ShareFetch, 1)).toBe(false);
    expect(clientThrottles(ApiKeys.ConsumerGroupHeartbeat, 0)).toBe(false);
    expect(clientThrottles(ApiKeys.SaslAuthenticate, 2)).toBe(false);
  });
});
