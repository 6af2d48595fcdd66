import { describe, expect, it } from 'vitest';
import { formatArguments, randomClusterId } from './storage-format.js';

describe('formatArguments', () => {
  it('formats with the cluster id, SCRAM users of both mechanisms, features and release version', () => {
    const args = formatArguments({
      java: 'java',
      classpath: [],
      propertiesFile: '/n/server.properties',
      clusterId: 'AAAAAAAAAAAAAAAAAAAAAQ',
      scramUsers: true,
      features: { 'share.version': 1 },
      releaseVersion: '4.0-IV3',
    });
    expect(args.slice(0, 5)).toEqual([
      'format',
      '--config',
      '/n/server.properties',
      '--cluster-id',
      'AAAAAAAAAAAAAAAAAAAAAQ',
    ]);
    expect(args).toContain('SCRAM-SHA-256=[name=alice,password=alice-secret]');
    expect(args).toContain('SCRAM-SHA-512=[name=admin,password=admin-secret]');
    expect(args.filter((a) => a === '--add-scram')).toHaveLength(6);
    expect(args.slice(-4)).toEqual(['--feature', 'share.version=1', '--release-version', '4.0-IV3']);
  });

  it('adds no SCRAM users unless asked', () => {
    expect(formatArguments({ java: 'java', classpath: [], propertiesFile: 'p', clusterId: 'x' })).toEqual([
      'format',
      '--config',
      'p',
      '--cluster-id',
      'x',
    ]);
  });
});

describe('randomClusterId', () => {
  it('is a 22-character URL-safe base64 UUID, different each time', () => {
    const a = randomClusterId();
    expect(a).toMatch(/^[A-Za-z0-9_-]{22}$/);
    expect(randomClusterId()).not.toBe(a);
  });

  it('never starts with a dash, which kafka-storage would read as an option', () => {
    // 0xf8 as the first byte encodes to '-' in URL-safe base64.
    const draws = [new Uint8Array(16).fill(0xf8), new Uint8Array(16).fill(1)];
    const id = randomClusterId(() => draws.shift()!);
    expect(id.startsWith('-')).toBe(false);
    expect(draws).toHaveLength(0);
  });
});
