import { describe, expect, it } from 'vitest';
import { KafkaHarnessError } from './errors.js';
import { findJava, parseJavaVersion } from './java.js';

describe('parseJavaVersion', () => {
  it('reads modern version strings', () => {
    expect(parseJavaVersion('openjdk version "17.0.15" 2025-04-15\nOpenJDK Runtime')).toEqual({
      majorVersion: 17,
      version: '17.0.15',
    });
    expect(parseJavaVersion('openjdk version "21" 2023-09-19')).toEqual({ majorVersion: 21, version: '21' });
  });

  it('reads the legacy 1.x scheme', () => {
    expect(parseJavaVersion('java version "1.8.0_392"')).toEqual({ majorVersion: 8, version: '1.8.0_392' });
  });

  it('returns undefined without a version', () => {
    expect(parseJavaVersion('bash: java: command not found')).toBeUndefined();
  });
});

describe('findJava', () => {
  it('says clearly when java is missing', async () => {
    const error = await findJava({ PATH: '/nonexistent-dir', JAVA_HOME: '/nonexistent-jdk' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(KafkaHarnessError);
    expect((error as KafkaHarnessError).code).toBe('ERR_JAVA_NOT_FOUND');
    expect((error as KafkaHarnessError).message).toMatch(/Java 17 or newer/);
  });
});
