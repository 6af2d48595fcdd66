import { readFileSync } from 'node:fs';
import { KafkaHarnessError } from '../errors.js';
import { artifactListFile } from '../harness-paths.js';
import { KAFKA_VERSION } from '../kafka-version.js';
import type { PinnedArtifact } from './artifact.js';

/** The committed list of Kafka's runtime jars, written by `scripts/write-artifact-list.ts` from Maven's answer. */
export interface ArtifactList {
  /** The Kafka version the list belongs to. */
  readonly kafkaVersion: string;
  /** The jars, in classpath order. */
  readonly artifacts: readonly PinnedArtifact[];
}

function isPinnedArtifact(value: unknown): value is PinnedArtifact {
  if (typeof value !== 'object' || value === null) return false;
  const a = value as Record<string, unknown>;
  return (
    typeof a.groupId === 'string' &&
    typeof a.artifactId === 'string' &&
    typeof a.version === 'string' &&
    (a.classifier === undefined || typeof a.classifier === 'string') &&
    typeof a.sha256 === 'string' &&
    /^[0-9a-f]{64}$/.test(a.sha256) &&
    typeof a.size === 'number'
  );
}

/** Checks the shape of a parsed artifact list; throws `ERR_ARTIFACT_DOWNLOAD` naming the file when it is wrong. */
export function parseArtifactList(json: unknown, source: string): ArtifactList {
  const list = json as { kafkaVersion?: unknown; artifacts?: unknown };
  if (
    typeof list !== 'object' ||
    list === null ||
    typeof list.kafkaVersion !== 'string' ||
    !Array.isArray(list.artifacts) ||
    !list.artifacts.every(isPinnedArtifact)
  ) {
    throw new KafkaHarnessError(
      'ERR_ARTIFACT_DOWNLOAD',
      `${source} is not a valid artifact list; regenerate it with tools/kafka-harness/scripts/write-artifact-list.ts.`,
    );
  }
  return { kafkaVersion: list.kafkaVersion, artifacts: list.artifacts };
}

/** Loads the committed artifact list of a Kafka version. */
export function loadArtifactList(version: string = KAFKA_VERSION): ArtifactList {
  const file = artifactListFile(version);
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (cause) {
    throw new KafkaHarnessError('ERR_ARTIFACT_DOWNLOAD', `No pinned artifact list for Kafka ${version} at ${file}.`, {
      cause,
    });
  }
  const list = parseArtifactList(JSON.parse(text), file);
  if (list.kafkaVersion !== version) {
    throw new KafkaHarnessError('ERR_ARTIFACT_DOWNLOAD', `${file} lists Kafka ${list.kafkaVersion}, not ${version}.`);
  }
  return list;
}
