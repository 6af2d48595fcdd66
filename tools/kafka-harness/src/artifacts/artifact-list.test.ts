import { readdirSync, readFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { describe, expect, it } from 'vitest';
import { artifactListFile, HARNESS_POM } from '../harness-paths.js';
import { KAFKA_VERSION } from '../kafka-version.js';
import { KAFKA_RELEASES, SUPPORTED_KAFKA_VERSIONS } from '../releases/kafka-releases.js';
import { loadArtifactList, parseArtifactList } from './artifact-list.js';

const pom = readFileSync(HARNESS_POM, 'utf8');
const pomProperty = (name: string) => new RegExp(`<${name}>([^<]+)</${name}>`).exec(pom)?.[1];

describe('the pinned artifact lists', () => {
  it('exist for every supported release and no other, and the pom defaults to the newest', () => {
    const files = readdirSync(dirname(artifactListFile(KAFKA_VERSION))).filter((name) => name.endsWith('.json'));
    expect(files.sort()).toEqual(SUPPORTED_KAFKA_VERSIONS.map((version) => `kafka-${version}.json`).sort());
    expect(pomProperty('kafka.version')).toBe(KAFKA_VERSION);
  });

  describe.each(KAFKA_RELEASES)('Kafka $version', (release) => {
    const list = loadArtifactList(release.version);
    const find = (artifactId: string) => list.artifacts.find((a) => a.artifactId === artifactId);

    it('belongs to its release: broker, tools and client of that version', () => {
      expect(list.kafkaVersion).toBe(release.version);
      expect(find('kafka_2.13')?.version).toBe(release.version);
      expect(find('kafka-tools')?.version).toBe(release.version);
      expect(find('kafka-clients')?.version).toBe(release.version);
      expect(find('slf4j-api')?.version).toMatch(/^1\.7\./);
    });

    it('has the logging its release logs through', () => {
      if (release.logging.api === 'log4j2') {
        // The SLF4J 1.7 binding matching the log4j-core of that release, and no log4j 1.
        expect(find('log4j-slf4j-impl')?.version).toBe(release.logging.log4jVersion);
        expect(find('log4j-core')?.version).toBe(release.logging.log4jVersion);
        expect(find('reload4j')).toBeUndefined();
      } else {
        expect(find('reload4j')?.version).toMatch(/^1\.2\./);
        expect(find('slf4j-reload4j')?.version).toMatch(/^1\.7\./);
        expect(find('log4j-slf4j-impl')).toBeUndefined();
      }
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
