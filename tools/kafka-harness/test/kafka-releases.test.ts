// The harness runs every supported release: the shared broker is the one KAFKA_VERSION asks for (the newest by
// default) and says so in ApiVersions terms; tools run from the jars of the release they are asked for, and a tool
// a release does not have, or a release the harness does not run, is refused with ERR_KAFKA_VERSION before any JVM
// starts. (Each release is started for real by the broker matrix: `npm run test:brokers`.)
import { describe, expect, inject, it } from 'vitest';
import { KafkaHarnessError } from '../src/errors.js';
import { NEWEST_KAFKA_RELEASE, OLDEST_KAFKA_RELEASE, requestedKafkaRelease } from '../src/releases/kafka-releases.js';
import { runKafkaTool } from '../src/tools/run-kafka-tool.js';
import { kafkaBrokers, kafkaTool } from '../src/vitest/index.js';

async function failure(promise: Promise<unknown>): Promise<KafkaHarnessError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(KafkaHarnessError);
  return error as KafkaHarnessError;
}

describe('Kafka releases', () => {
  it('starts the shared broker of the release KAFKA_VERSION asks for', () => {
    if (inject('kafkaExternal')) return;
    expect(inject('kafkaVersion')).toBe(requestedKafkaRelease().version);
  });

  it("runs a tool from the shared broker's own release", async () => {
    const result = await kafkaTool('kafka-broker-api-versions', []);
    expect(result.exitCode, result.stderr).toBe(0);
    expect(result.stdout).toContain(kafkaBrokers()[0]);
    expect(result.stdout).toMatch(/Produce\(0\): \d+ to \d+/);
  });

  it('refuses a tool the release does not have, naming the line it appeared in', async () => {
    const error = await failure(
      runKafkaTool(kafkaBrokers().join(','), 'kafka-share-groups', ['--list'], { version: OLDEST_KAFKA_RELEASE.line }),
    );
    expect(error.code).toBe('ERR_KAFKA_VERSION');
    expect(error.message).toMatch(/kafka-share-groups is not part of Kafka 3\.7\.\d+ \(it exists from 4\.0 on\)/);
  });

  it('refuses a release it does not run, naming the supported range', async () => {
    const error = await failure(runKafkaTool(null, 'kafka-storage', ['random-uuid'], { version: '3.6' }));
    expect(error.code).toBe('ERR_KAFKA_VERSION');
    expect(error.message).toContain(`${OLDEST_KAFKA_RELEASE.line} to ${NEWEST_KAFKA_RELEASE.line}`);
  });
});
