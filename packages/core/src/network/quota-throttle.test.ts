import { describe, expect, it } from 'vitest';
import { ApiKeys } from '../protocol/messages/generated/index.js';
import { clientThrottles } from './quota-throttle.js';

describe('clientThrottles (KIP-219)', () => {
  it('leaves throttling to the client from the versions the Java client does', () => {
    expect(clientThrottles('Produce', 5)).toBe(false);
    expect(clientThrottles('Produce', 6)).toBe(true);
    expect(clientThrottles('Fetch', 7)).toBe(false);
    expect(clientThrottles('Fetch', 8)).toBe(true);
    expect(clientThrottles('Metadata', 5)).toBe(false);
    expect(clientThrottles('Metadata', 12)).toBe(true);
    expect(clientThrottles('IncrementalAlterConfigs', 0)).toBe(true);
  });

  it('never throttles an API the Java client does not (the broker delays those itself)', () => {
    expect(clientThrottles('ShareFetch', 1)).toBe(false);
    expect(clientThrottles('ConsumerGroupHeartbeat', 0)).toBe(false);
    expect(clientThrottles('SaslAuthenticate', 2)).toBe(false);
  });
});

describe('the throttled API names', () => {
  it('name APIs that exist (a misspelt name would never throttle)', async () => {
    const source = await import('node:fs').then((fs) =>
      fs.readFileSync(new URL('./quota-throttle.ts', import.meta.url), 'utf8'),
    );
    const names = [...source.matchAll(/\['(\w+)', \d+\]/g)].map((m) => m[1]!);
    expect(names.length).toBeGreaterThan(40);
    for (const name of names) expect(ApiKeys).toHaveProperty(name);
  });
});
