import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../errors/index.js';
import { CooperativeStickyAssignor } from './cooperative-sticky-assignor.js';
import { BUILT_IN_ASSIGNORS, createAssignor } from './create-assignor.js';
import { RangeAssignor } from './range-assignor.js';
import { RoundRobinAssignor } from './round-robin-assignor.js';
import { StickyAssignor } from './sticky-assignor.js';

describe('createAssignor', () => {
  it('creates each built-in assignor under its Kafka name', () => {
    expect(createAssignor('range')).toBeInstanceOf(RangeAssignor);
    expect(createAssignor('roundrobin')).toBeInstanceOf(RoundRobinAssignor);
    expect(createAssignor('sticky')).toBeInstanceOf(StickyAssignor);
    expect(createAssignor('cooperative-sticky')).toBeInstanceOf(CooperativeStickyAssignor);
    for (const name of BUILT_IN_ASSIGNORS) expect(createAssignor(name).name).toBe(name);
  });

  it('gives a fresh instance each time, since sticky keeps per-consumer state', () => {
    expect(createAssignor('sticky')).not.toBe(createAssignor('sticky'));
  });

  it('declares the rebalance protocols as the Java client does', () => {
    expect(createAssignor('range').supportedProtocols).toEqual(['eager']);
    expect(createAssignor('roundrobin').supportedProtocols).toEqual(['eager']);
    expect(createAssignor('sticky').supportedProtocols).toEqual(['eager']);
    expect(createAssignor('cooperative-sticky').supportedProtocols).toEqual(['cooperative', 'eager']);
  });

  it('gives an empty assignment to an empty group', () => {
    for (const name of BUILT_IN_ASSIGNORS) {
      expect(createAssignor(name).assign([], new Map([['t', [{ partition: 0, replicaRacks: [] }]]])).size).toBe(0);
    }
  });

  it('rejects any other name with a ConfigError listing the valid ones', () => {
    let error: unknown;
    try {
      createAssignor('RoundRobin');
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).code).toBe('ERR_CONFIG');
    expect((error as ConfigError).message).toContain('"RoundRobin"');
    expect((error as ConfigError).message).toContain('range, roundrobin, sticky, cooperative-sticky');
  });
});
