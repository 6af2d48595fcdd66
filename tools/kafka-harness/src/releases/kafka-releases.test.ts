import { describe, expect, it } from 'vitest';
import { KafkaHarnessError } from '../errors.js';
import {
  compareLines,
  KAFKA_RELEASES,
  kafkaRelease,
  NEWEST_KAFKA_RELEASE,
  OLDEST_KAFKA_RELEASE,
  releaseFacts,
  releaseLine,
  requestedKafkaRelease,
} from './kafka-releases.js';

describe('the supported Kafka releases', () => {
  it('are the lines 3.7 to 4.4, oldest first, one release each', () => {
    expect(KAFKA_RELEASES.map((release) => release.line)).toEqual([
      '3.7',
      '3.8',
      '3.9',
      '4.0',
      '4.1',
      '4.2',
      '4.3',
      '4.4',
    ]);
    for (const release of KAFKA_RELEASES) expect(releaseLine(release.version)).toBe(release.line);
    expect(OLDEST_KAFKA_RELEASE.line).toBe('3.7');
    expect(NEWEST_KAFKA_RELEASE.line).toBe('4.4');
  });

  it('log through log4j 1 up to 3.9 and log4j2 from 4.0', () => {
    for (const release of KAFKA_RELEASES) {
      expect(release.logging.api).toBe(compareLines(release.line, '4.0') < 0 ? 'log4j1' : 'log4j2');
    }
  });
});

describe('kafkaRelease', () => {
  it('takes a line or the exact version of that line', () => {
    expect(kafkaRelease('3.7').version).toBe(OLDEST_KAFKA_RELEASE.version);
    expect(kafkaRelease(OLDEST_KAFKA_RELEASE.version).line).toBe('3.7');
    expect(kafkaRelease(' 4.4 ').version).toBe(NEWEST_KAFKA_RELEASE.version);
  });

  it('refuses other versions with ERR_KAFKA_VERSION naming the supported range and the way out', () => {
    let older: unknown;
    try {
      kafkaRelease('3.6');
    } catch (error) {
      older = error;
    }
    expect(older).toBeInstanceOf(KafkaHarnessError);
    expect((older as KafkaHarnessError).code).toBe('ERR_KAFKA_VERSION');
    expect((older as Error).message).toMatch(/supports 3\.7 to 4\.4/);
    expect(() => kafkaRelease('3.7.0')).toThrow(/runs 3\.7\.\d+ for the 3\.7 line.*KAFKA_HOME/);
    expect(() => kafkaRelease('latest')).toThrow(KafkaHarnessError);
  });
});

describe('releaseFacts (for jars from KAFKA_HOME)', () => {
  it("uses the line's facts for any patch release, the newest line's for a newer line, and refuses older", () => {
    expect(releaseFacts('3.9.0').line).toBe('3.9');
    expect(releaseFacts('4.5.0')).toBe(NEWEST_KAFKA_RELEASE);
    expect(() => releaseFacts('3.6.2')).toThrow(/older than the harness supports/);
  });
});

describe('requestedKafkaRelease', () => {
  it('reads KAFKA_VERSION, defaulting to the newest release', () => {
    expect(requestedKafkaRelease({})).toBe(NEWEST_KAFKA_RELEASE);
    expect(requestedKafkaRelease({ KAFKA_VERSION: '' })).toBe(NEWEST_KAFKA_RELEASE);
    expect(requestedKafkaRelease({ KAFKA_VERSION: '3.8' }).line).toBe('3.8');
    expect(() => requestedKafkaRelease({ KAFKA_VERSION: '2.8' })).toThrow(/KAFKA_VERSION|supports/);
  });
});
