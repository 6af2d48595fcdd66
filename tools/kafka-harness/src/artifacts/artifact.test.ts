import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { artifactRepositoryPath, coordinatesFromRepositoryPath } from './artifact.js';

describe('artifact paths', () => {
  it('lays a jar out as Maven does', () => {
    expect(artifactRepositoryPath({ groupId: 'org.apache.kafka', artifactId: 'kafka-clients', version: '4.4.0' })).toBe(
      'org/apache/kafka/kafka-clients/4.4.0/kafka-clients-4.4.0.jar',
    );
    expect(artifactRepositoryPath({ groupId: 'a.b', artifactId: 'c', version: '1', classifier: 'linux' })).toBe(
      'a/b/c/1/c-1-linux.jar',
    );
  });

  it('reads coordinates back from a local repository path', () => {
    const repo = join('/cache', 'm2');
    const jar = join(repo, 'org', 'apache', 'kafka', 'kafka_2.13', '4.4.0', 'kafka_2.13-4.4.0.jar');
    expect(coordinatesFromRepositoryPath(repo, jar)).toEqual({
      groupId: 'org.apache.kafka',
      artifactId: 'kafka_2.13',
      version: '4.4.0',
    });
    const withClassifier = join(repo, 'a', 'b', 'c', '1', 'c-1-linux.jar');
    expect(coordinatesFromRepositoryPath(repo, withClassifier)).toEqual({
      groupId: 'a.b',
      artifactId: 'c',
      version: '1',
      classifier: 'linux',
    });
  });

  it('rejects paths outside the layout', () => {
    expect(() => coordinatesFromRepositoryPath('/m2', '/m2/x.jar')).toThrow(/not a jar inside/);
    expect(() => coordinatesFromRepositoryPath('/m2', '/m2/a/b/1/other.jar')).toThrow(/layout/);
  });
});
