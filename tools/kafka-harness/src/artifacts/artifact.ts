import { relative, sep } from 'node:path';
import { KafkaHarnessError } from '../errors.js';

/** Maven coordinates of one jar. */
export interface ArtifactCoordinates {
  /** For example `org.apache.kafka`. */
  readonly groupId: string;
  /** For example `kafka-clients`. */
  readonly artifactId: string;
  /** For example `4.4.0`. */
  readonly version: string;
  /** Classifier such as `linux-x86_64`, when the jar has one. */
  readonly classifier?: string;
}

/** A jar of the pinned fallback list: coordinates plus the expected SHA-256 and size of its bytes. */
export interface PinnedArtifact extends ArtifactCoordinates {
  /** Lower-case hex SHA-256 of the jar. */
  readonly sha256: string;
  /** Size in bytes. */
  readonly size: number;
}

/** The file name of a jar: `artifactId-version[-classifier].jar`. */
export function artifactFileName(artifact: ArtifactCoordinates): string {
  const classifier = artifact.classifier === undefined ? '' : `-${artifact.classifier}`;
  return `${artifact.artifactId}-${artifact.version}${classifier}.jar`;
}

/**
 * The path of a jar inside a Maven repository, with `/` separators (the same layout serves a local `m2`
 * directory and a remote repository URL): `org/apache/kafka/kafka-clients/4.4.0/kafka-clients-4.4.0.jar`.
 */
export function artifactRepositoryPath(artifact: ArtifactCoordinates): string {
  return [...artifact.groupId.split('.'), artifact.artifactId, artifact.version, artifactFileName(artifact)].join('/');
}

/** `groupId:artifactId:version[:classifier]`, for messages. */
export function formatCoordinates(artifact: ArtifactCoordinates): string {
  const classifier = artifact.classifier === undefined ? '' : `:${artifact.classifier}`;
  return `${artifact.groupId}:${artifact.artifactId}:${artifact.version}${classifier}`;
}

/**
 * The coordinates of a jar from its path inside a local Maven repository (the inverse of
 * {@link artifactRepositoryPath}).
 */
export function coordinatesFromRepositoryPath(repositoryDir: string, jarPath: string): ArtifactCoordinates {
  const parts = relative(repositoryDir, jarPath).split(sep);
  const file = parts.pop();
  const version = parts.pop();
  const artifactId = parts.pop();
  if (file === undefined || version === undefined || artifactId === undefined || parts.length === 0) {
    throw new KafkaHarnessError(
      'ERR_MAVEN_FAILED',
      `${jarPath} is not a jar inside the Maven repository ${repositoryDir}.`,
    );
  }
  const stem = `${artifactId}-${version}`;
  if (!file.startsWith(stem) || !file.endsWith('.jar')) {
    throw new KafkaHarnessError('ERR_MAVEN_FAILED', `${jarPath} does not follow the Maven repository layout.`);
  }
  const rest = file.slice(stem.length, -'.jar'.length);
  const base = { groupId: parts.join('.'), artifactId, version };
  return rest.startsWith('-') ? { ...base, classifier: rest.slice(1) } : base;
}
