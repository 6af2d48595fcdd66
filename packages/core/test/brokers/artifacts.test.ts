// Broker compatibility: the jars the shared broker runs from are the ones its release's pinned, checksummed list
// names (tools/kafka-harness/artifacts/kafka-<version>.json), byte for byte, so that a machine without Maven
// downloads exactly what this suite was run against.
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import { artifactFileName, kafkaRelease, loadArtifactList, resolveKafka } from '@vltava/kafka-harness';
import { expect, it } from 'vitest';
import { brokerLine, describeBroker, SKIP_REASON } from './broker-line.js';

// The release of the broker's line (KAFKA_VERSION's for an external cluster).
const version = kafkaRelease(brokerLine()).version;

describeBroker(`the pinned artifact list of Kafka ${version}${SKIP_REASON}`, () => {
  it('matches the jars the harness resolved for this broker, byte for byte', async () => {
    // The harness's own resolution (Maven or the download, cached), even where KAFKA_HOME points at a distribution.
    const { classpath, source } = await resolveKafka({ version, env: { ...process.env, KAFKA_HOME: '' } });
    expect(source).not.toBe('KAFKA_HOME');
    const resolved = classpath.map((jar) => ({
      file: basename(jar),
      sha256: createHash('sha256').update(readFileSync(jar)).digest('hex'),
    }));
    const pinned = loadArtifactList(version).artifacts.map((artifact) => ({
      file: artifactFileName(artifact),
      sha256: artifact.sha256,
    }));
    expect(resolved).toEqual(pinned);
  });
});
