// Broker compatibility: KIP-932 share groups against the shared broker of whatever supported line it is. Vltava has
// no share consumer yet, so this suite checks what a share consumer would find: the share group APIs and the
// `share.version` feature are there exactly on the lines that serve share groups (4.2 on as released; 4.1 lists the
// APIs but leaves the feature off), and the early-access switch turns them on for 4.0 and 4.1.
//
// HOOK: when core gets a share consumer, add its round trip (subscribe, fetch, acknowledge) here, for every line
// where `shareGroupsOn` holds, and its typed error for the lines where it does not.
import { fetchApiVersions } from '@vltava/kafka-harness';
import { type KafkaCluster, kafkaBrokers, startCluster } from '@vltava/kafka-harness/vitest';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { Admin } from '../../src/index.js';
import { ApiKeys } from '../../src/protocol/messages/generated/index.js';
import { brokerLine, describeBroker, lineAtLeast, SINCE, SKIP_REASON } from './broker-line.js';

const version = inject('kafkaVersion');
const line = brokerLine();
const SHARE_APIS = [
  ApiKeys.ShareGroupHeartbeat,
  ApiKeys.ShareGroupDescribe,
  ApiKeys.ShareFetch,
  ApiKeys.ShareAcknowledge,
];

function endpoint(address: string) {
  const [host, port] = address.split(':');
  return { host: host!, port: Number(port) };
}

describeBroker(`share groups with Kafka ${version}${SKIP_REASON}`, () => {
  it(`lists the share group APIs ${lineAtLeast(SINCE.shareGroupApis) ? 'as' : 'not, as'} Kafka ${line} does`, async () => {
    const listed = (await fetchApiVersions(endpoint(kafkaBrokers()[0]!))).apis;
    for (const key of SHARE_APIS) expect(listed.has(key), `API key ${key}`).toBe(lineAtLeast(SINCE.shareGroupApis));
  });

  it(`has share.version ${lineAtLeast(SINCE.shareGroupsOn) ? 'on' : 'off'} (describeFeatures)`, async () => {
    const admin = new Admin({ brokers: kafkaBrokers(), logLevel: 'error' });
    try {
      const features = await admin.describeFeatures();
      const level = features.finalizedFeatures['share.version']?.maxVersionLevel ?? 0;
      if (lineAtLeast(SINCE.shareGroupsOn)) expect(level).toBeGreaterThanOrEqual(1);
      else expect(level).toBe(0);
    } finally {
      await admin.close();
    }
  });

  const earlyAccess = !lineAtLeast(SINCE.shareGroupsOn) && lineAtLeast('4.0');
  if (!earlyAccess) return;
  describe(`with Kafka ${line}'s early-access share groups switched on`, () => {
    let cluster: KafkaCluster | undefined;
    beforeAll(async () => {
      cluster = await startCluster({ version: line, earlyAccess: true });
    });
    afterAll(async () => {
      await cluster?.stop();
    });

    it('lists the share group APIs', async () => {
      const listed = (await fetchApiVersions(endpoint(cluster!.brokers[0]!))).apis;
      for (const key of SHARE_APIS) expect(listed.has(key), `API key ${key}`).toBe(true);
    });
  });
});
