import { kafkaBrokers, uniqueName } from '@vltava/kafka-harness/vitest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Admin, type DescribeConfigsResult, unwrapResults } from '../../src/admin/index.js';
import { InvalidArgumentError, InvalidConfigError, UnknownTopicOrPartitionError } from '../../src/errors/index.js';
import { eventually } from './support/eventually.js';

let admin: Admin;
let brokerId: string;
beforeAll(async () => {
  admin = new Admin({ brokers: kafkaBrokers(), clientId: 'admin-configs-test', logLevel: 'silent' });
  brokerId = String((await admin.describeCluster()).brokers[0]!.nodeId);
});
afterAll(async () => {
  await admin?.close();
});

function entry(result: DescribeConfigsResult | undefined, name: string) {
  if (result?.error) throw result.error;
  return result?.entries.find((e) => e.name === name);
}

async function topicWith(configs: Record<string, string>): Promise<string> {
  const topic = uniqueName('admin-cfg');
  unwrapResults(await admin.createTopics([{ topic, numPartitions: 1, configs }], { waitForMetadata: true }));
  return topic;
}

describe('Admin configs against the real broker', () => {
  it('describes topic and broker configs with sources and synonyms, failing an unknown topic alone', async () => {
    const topic = await topicWith({ 'retention.ms': '7200000' });
    const missing = uniqueName('admin-cfg-missing');
    const results = await admin.describeConfigs(
      [
        { type: 'topic', name: topic },
        { type: 'broker', name: brokerId, configNames: ['log.retention.hours', 'num.io.threads'] },
        { type: 'topic', name: missing },
      ],
      { includeSynonyms: true, includeDocumentation: true },
    );
    expect(results.map((r) => r.resource)).toEqual([
      { type: 'topic', name: topic },
      { type: 'broker', name: brokerId },
      { type: 'topic', name: missing },
    ]);
    const retention = entry(results[0], 'retention.ms');
    expect(retention).toMatchObject({ value: '7200000', source: 'topic', isDefault: false, type: 'long' });
    expect(retention?.synonyms[0]).toEqual({ name: 'retention.ms', value: '7200000', source: 'topic' });
    expect(retention?.documentation).toMatch(/retain/i);
    // The harness sets log.segment.bytes in server.properties: the topic inherits it over Kafka's default.
    const segment = entry(results[0], 'segment.bytes');
    expect(segment).toMatchObject({ value: '1048576', source: 'staticBroker', isDefault: false, type: 'int' });
    expect(segment?.synonyms).toEqual([
      { name: 'log.segment.bytes', value: '1048576', source: 'staticBroker' },
      { name: 'log.segment.bytes', value: '1073741824', source: 'default' },
    ]);

    if (results[1]?.error) throw results[1].error;
    expect(results[1]?.entries.map((e) => e.name).sort()).toEqual(['log.retention.hours', 'num.io.threads']);
    expect(entry(results[1], 'num.io.threads')?.isReadOnly).toBe(false);
    expect(results[2]?.error).toBeInstanceOf(UnknownTopicOrPartitionError);
  });

  it('alters configs incrementally (set, append, delete), validates only on request, and fails a bad value alone', async () => {
    const topic = await topicWith({ 'cleanup.policy': 'delete', 'max.message.bytes': '200000' });
    const other = await topicWith({});
    const validated = await admin.incrementalAlterConfigs(
      [{ resource: { type: 'topic', name: topic }, ops: [{ name: 'flush.messages', op: 'set', value: '1234' }] }],
      { validateOnly: true },
    );
    expect(validated[0]?.error).toBeUndefined();

    const results = await admin.incrementalAlterConfigs([
      {
        resource: { type: 'topic', name: topic },
        ops: [
          { name: 'retention.ms', op: 'set', value: '90000' },
          { name: 'cleanup.policy', op: 'append', value: 'compact' },
          { name: 'max.message.bytes', op: 'delete' },
        ],
      },
      { resource: { type: 'topic', name: other }, ops: [{ name: 'retention.ms', op: 'set', value: 'not-a-number' }] },
    ]);
    expect(results[0]?.error).toBeUndefined();
    expect(results[1]?.error).toBeInstanceOf(InvalidConfigError);
    expect(results[1]?.error?.message).toMatch(/not-a-number|retention\.ms/);
    await eventually(async () => {
      const [after] = await admin.describeConfigs([{ type: 'topic', name: topic }]);
      expect(entry(after, 'retention.ms')?.value).toBe('90000');
      expect(entry(after, 'cleanup.policy')?.value?.split(',').sort()).toEqual(['compact', 'delete']);
      expect(entry(after, 'max.message.bytes')?.source).not.toBe('topic');
      // Changes apply in order: the later one is visible, the validated one never was applied.
      expect(entry(after, 'flush.messages')?.source).not.toBe('topic');
    });

    await expect(
      admin.incrementalAlterConfigs([{ resource: { type: 'topic', name: topic }, ops: [{ name: 'x', op: 'set' }] }]),
    ).rejects.toBeInstanceOf(InvalidArgumentError);
  });

  it('replaces the whole dynamic config set with alterConfigs', async () => {
    const topic = await topicWith({ 'retention.ms': '100000', 'max.message.bytes': '300000' });
    const [result] = await admin.alterConfigs([
      { resource: { type: 'topic', name: topic }, configs: { 'retention.ms': '200000' } },
    ]);
    expect(result?.error).toBeUndefined();
    await eventually(async () => {
      const [after] = await admin.describeConfigs([{ type: 'topic', name: topic }]);
      expect(entry(after, 'retention.ms')).toMatchObject({ value: '200000', source: 'topic' });
      // Left out of the new set: back to its default.
      expect(entry(after, 'max.message.bytes')?.source).not.toBe('topic');
    });
  });

  it('sets and deletes a dynamic broker config on one broker', async () => {
    const resource = { type: 'broker', name: brokerId } as const;
    const name = 'log.cleaner.backoff.ms';
    unwrapResults(await admin.incrementalAlterConfigs([{ resource, ops: [{ name, op: 'set', value: '15001' }] }]));
    try {
      await eventually(async () => {
        const [set] = await admin.describeConfigs([{ ...resource, configNames: [name] }], { includeSynonyms: true });
        expect(entry(set, name)).toMatchObject({ value: '15001', source: 'dynamicBroker' });
        expect(entry(set, name)?.synonyms.map((s) => s.source)).toContain('default');
      });
    } finally {
      unwrapResults(await admin.incrementalAlterConfigs([{ resource, ops: [{ name, op: 'delete' }] }]));
    }
    await eventually(async () => {
      const [deleted] = await admin.describeConfigs([{ ...resource, configNames: [name] }]);
      expect(entry(deleted, name)?.source).not.toBe('dynamicBroker');
    });
  });

  it('sets group configs and describes broker loggers', async () => {
    const groupId = uniqueName('admin-cfg-group');
    const resource = { type: 'group', name: groupId } as const;
    unwrapResults(
      await admin.incrementalAlterConfigs([
        { resource, ops: [{ name: 'consumer.session.timeout.ms', op: 'set', value: '12000' }] },
      ]),
    );
    await eventually(async () => {
      const [group] = await admin.describeConfigs([resource]);
      expect(entry(group, 'consumer.session.timeout.ms')).toMatchObject({ value: '12000', source: 'group' });
    });

    const [loggers] = await admin.describeConfigs([{ type: 'brokerLogger', name: brokerId }]);
    if (loggers?.error) throw loggers.error;
    expect(loggers?.entries.some((e) => e.name === 'root' && e.value !== null)).toBe(true);
  });
});
