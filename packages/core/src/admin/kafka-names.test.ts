import { describe, expect, it } from 'vitest';
import { fromKafkaNames } from './kafka-names.js';

describe('fromKafkaNames', () => {
  const stateOf = fromKafkaNames({ unknown: 'Unknown', preparingRebalance: 'PreparingRebalance', stable: 'Stable' });

  it("reads Kafka's name in any case", () => {
    expect(stateOf('PreparingRebalance')).toBe('preparingRebalance');
    expect(stateOf('STABLE')).toBe('stable');
  });

  it("reads a name the table lacks as 'unknown'", () => {
    expect(stateOf('Rebalancing')).toBe('unknown');
    expect(stateOf('')).toBe('unknown');
  });
});
