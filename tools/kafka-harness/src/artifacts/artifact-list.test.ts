import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { HARNESS_POM } from '../harness-paths.js';
import { KAFKA_VERSION } from '../kafka-version.js';
import { loadArtifactList, parseArtifactList } from './artifact-list.js';

const pom = readFileSync(HARNESS_POM, 'utf8');
const pomProperty = (name: string) => new RegExp(`<${name}>([^<]+)</${name}>`).exec(pom)?.[1];

describe('the pinned artifact list', () => {
  const list = loadArtifactList(KAFKA_VERSION);
  const find = (artifactId: string) => list.artifacts.find((a) => a.artifactId === artifactId);

  it('belongs to the pinned Kafka version, as does the pom', () => {
    expect(list.kafkaVersion).toBe(KAFKA_VERSION);
    expect(pomProperty('kafka.version')).toBe(KAFKA_VERSION);
  });

  it('holds the broker, the tools, the client and a log4j2 SLF4J binding matching log4j-core', () => {
    expect(find('kafka_2.13')?.version).toBe(KAFKA_VERSION);
    expect(find('kafka-tools')?.version).toBe(KAFKA_VERSION);
    expect(find('kafka-clients')?.version).toBe(KAFKA_VERSION);
    const log4jVersion = pomProperty('log4j.version');
    expect(find('log4j-slf4j-impl')?.version).toBe(log4jVersion);
    expect(find('log4j-core')?.version).toBe(log4jVersion);
    expect(find('slf4j-api')?.version).toMatch(/^1\.7\./);
  });

  it('names every jar once, with a SHA-256 and a size', () => {
    const names = list.artifacts.map((a) => `${a.groupId}:${a.artifactId}`);
    expect(new Set(names).size).toBe(names.length);
    for (const artifact of list.artifacts) {
      expect(artifact.sha256).toMatch(/^[0-9a-f]{64}$/);
      expect(artifact.size).toBeGreaterThan(0);
    }
  });

  it('keeps Kafka Connect (only needed by connect-plugin-path) out', () => {
    expect(find('connect-runtime')).toBeUndefined();
  });
});

describe('parseArtifactList', () => {
  it('rejects a list with a malformed entry', () => {
    expect(() =>
      parseArtifactList(
        { kafkaVersion: '1', artifacts: [{ groupId: 'g', artifactId: 'a', version: '1', sha256: 'xyz', size: 1 }] },
        'f.json',
      ),
    ).toThrow(/f\.json is not a valid artifact list/);
  });
});
