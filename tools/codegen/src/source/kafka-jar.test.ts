import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { locateKafkaClientsJar, pickClientsJar, versionFromJarName } from './kafka-jar.js';

describe('locating the kafka-clients jar', () => {
  const repo = mkdtempSync(join(tmpdir(), 'vltava-jar-test-'));
  const jarDir = join(repo, 'org', 'apache', 'kafka', 'kafka-clients', '4.4.0');
  const slf4jDir = join(repo, 'org', 'slf4j', 'slf4j-api', '1.7.36');
  mkdirSync(jarDir, { recursive: true });
  mkdirSync(slf4jDir, { recursive: true });
  const jar = join(jarDir, 'kafka-clients-4.4.0.jar');
  const slf4j = join(slf4jDir, 'slf4j-api-1.7.36.jar');
  writeFileSync(jar, '');
  writeFileSync(slf4j, '');
  afterAll(() => rmSync(repo, { recursive: true, force: true }));
  const failingHarness = () => Promise.reject(new Error('vltava-kafka: command not found'));

  it('takes KAFKA_CLIENTS_JAR first, with slf4j-api from the same Maven repository', async () => {
    const found = await locateKafkaClientsJar({ env: { KAFKA_CLIENTS_JAR: jar }, harnessClasspath: failingHarness });
    expect(found).toStrictEqual({ jar, classpath: [jar, slf4j], source: 'KAFKA_CLIENTS_JAR' });
    const withClasspath = await locateKafkaClientsJar({
      env: { KAFKA_CLIENTS_JAR: jar, KAFKA_CLASSPATH: `/a.jar${delimiter}/b.jar` },
      harnessClasspath: failingHarness,
    });
    expect(withClasspath.classpath).toStrictEqual([jar, '/a.jar', '/b.jar']);
    await expect(
      locateKafkaClientsJar({ env: { KAFKA_CLIENTS_JAR: '/nowhere/kafka-clients-4.4.0.jar' } }),
    ).rejects.toThrow(/does not exist/);
  });

  it('then asks the harness CLI for the classpath', async () => {
    const printed = `/m2/kafka_2.13-4.4.0.jar${delimiter}/m2/kafka-clients-4.4.0.jar${delimiter}/m2/slf4j-api-1.7.36.jar\n`;
    const found = await locateKafkaClientsJar({ env: {}, harnessClasspath: () => Promise.resolve(printed) });
    expect(found.jar).toBe('/m2/kafka-clients-4.4.0.jar');
    expect(found.classpath).toHaveLength(3);
    expect(found.source).toBe('npx vltava-kafka classpath');
  });

  it('fails with a message saying how to provide the jar', async () => {
    await expect(locateKafkaClientsJar({ env: {}, harnessClasspath: failingHarness })).rejects.toThrow(
      /Cannot find the kafka-clients jar: .*command not found.*Set KAFKA_CLIENTS_JAR/,
    );
    await expect(
      locateKafkaClientsJar({ env: {}, harnessClasspath: () => Promise.resolve('/m2/other.jar') }),
    ).rejects.toThrow(/printed no kafka-clients jar/);
  });

  it('picks the jar out of classpath text and reads its version', () => {
    expect(pickClientsJar('/x/kafka-streams-4.4.0.jar\n/y/kafka-clients-4.4.0.jar')?.jar).toBe(
      '/y/kafka-clients-4.4.0.jar',
    );
    expect(pickClientsJar('/x/kafka-streams-4.4.0.jar')).toBeUndefined();
    expect(versionFromJarName('/y/kafka-clients-4.4.0.jar')).toBe('4.4.0');
  });
});
