import { kafkaSasl, uniqueName } from '@vltava/kafka-harness/vitest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Admin, unwrapResults } from '../../src/admin/index.js';
import {
  DuplicateResourceError,
  InvalidRequestError,
  ResourceNotFoundError,
  TopicAuthorizationFailedError,
  UnacceptableCredentialError,
  UnsupportedSaslMechanismError,
} from '../../src/errors/index.js';
import { eventually } from './support/eventually.js';

const admins: Admin[] = [];
function saslAdmin(username: string, password: string, mechanism: 'SCRAM-SHA-256' | 'SCRAM-SHA-512' = 'SCRAM-SHA-512') {
  const admin = new Admin({
    brokers: kafkaSasl().brokers,
    clientId: 'admin-security-test',
    logLevel: 'silent',
    sasl: { mechanism, username, password },
  });
  admins.push(admin);
  return admin;
}

let admin: Admin;
beforeAll(async () => {
  const superUser = kafkaSasl().users.find((u) => u.superUser)!;
  admin = saslAdmin(superUser.username, superUser.password);
  await admin.connect();
});
afterAll(async () => {
  for (const a of admins) await a.close();
});

describe('Admin ACLs against the SASL listener', () => {
  it('creates, describes and deletes ACLs, failing an invalid one alone; a denied user cannot alter a topic', async () => {
    const denied = uniqueName('admin-acl-denied');
    const open = uniqueName('admin-acl-open');
    const prefix = uniqueName('admin-acl-prefix');
    unwrapResults(
      await admin.createTopics(
        [
          { topic: denied, numPartitions: 1 },
          { topic: open, numPartitions: 1 },
        ],
        { waitForMetadata: true },
      ),
    );
    const created = await admin.createAcls([
      {
        resourceType: 'topic',
        resourceName: denied,
        principal: 'User:alice',
        operation: 'alterConfigs',
        permission: 'deny',
      },
      {
        resourceType: 'topic',
        resourceName: prefix,
        patternType: 'prefixed',
        principal: 'User:bob',
        host: '127.0.0.1',
        operation: 'read',
        permission: 'allow',
      },
      {
        resourceType: 'topic',
        resourceName: prefix,
        patternType: 'match',
        principal: 'User:bob',
        operation: 'read',
        permission: 'allow',
      },
    ]);
    expect(created[0]).toEqual({
      acl: {
        resourceType: 'topic',
        resourceName: denied,
        patternType: 'literal',
        principal: 'User:alice',
        host: '*',
        operation: 'alterConfigs',
        permission: 'deny',
      },
    });
    expect(created[1]?.error).toBeUndefined();
    expect(created[2]?.error).toBeInstanceOf(InvalidRequestError);

    // Brokers apply ACLs from the metadata log a moment after the controller commits them.
    await eventually(async () => {
      const byTopic = await admin.describeAcls({ resourceType: 'topic', resourceName: denied });
      expect(byTopic).toEqual([created[0]!.acl]);
      const matching = await admin.describeAcls({
        resourceType: 'topic',
        resourceName: `${prefix}-orders`,
        patternType: 'match',
      });
      expect(matching).toEqual([
        {
          resourceType: 'topic',
          resourceName: prefix,
          patternType: 'prefixed',
          principal: 'User:bob',
          host: '127.0.0.1',
          operation: 'read',
          permission: 'allow',
        },
      ]);
    });

    // alice may alter the topic without ACLs, not the one with a DENY for her (once the broker applied the ACL).
    const alice = kafkaSasl().users.find((u) => u.username === 'alice')!;
    const asAlice = saslAdmin(alice.username, alice.password, 'SCRAM-SHA-256');
    await eventually(async () => {
      const results = await asAlice.incrementalAlterConfigs([
        { resource: { type: 'topic', name: denied }, ops: [{ name: 'retention.ms', op: 'set', value: '100000' }] },
        { resource: { type: 'topic', name: open }, ops: [{ name: 'retention.ms', op: 'set', value: '100000' }] },
      ]);
      expect(results[0]?.error).toBeInstanceOf(TopicAuthorizationFailedError);
      expect(results[1]?.error).toBeUndefined();
    });

    const deleted = await admin.deleteAcls([
      { resourceType: 'topic', resourceName: denied },
      { resourceType: 'topic', resourceName: prefix, patternType: 'prefixed', principal: 'User:bob' },
      { resourceType: 'group', resourceName: uniqueName('admin-acl-none') },
    ]);
    expect(deleted[0]).toEqual({
      filter: { resourceType: 'topic', resourceName: denied },
      deleted: [{ acl: created[0]!.acl }],
    });
    const [, byPrefix, none] = unwrapResults(deleted);
    expect(byPrefix?.deleted.map((d) => d.acl.resourceName)).toEqual([prefix]);
    expect(none?.deleted).toEqual([]);
    await eventually(async () => {
      expect(await admin.describeAcls({ resourceType: 'topic', resourceName: denied })).toEqual([]);
    });
  });
});

describe('Admin client quotas against the SASL listener', () => {
  it('sets, describes and removes quotas, failing an unknown quota key alone', async () => {
    const user = uniqueName('admin-quota-user');
    const clientId = uniqueName('admin-quota-client');
    const results = await admin.alterClientQuotas([
      { entity: { user }, ops: { producer_byte_rate: 1_048_576, consumer_byte_rate: 2_097_152 } },
      { entity: { user, 'client-id': clientId }, ops: { request_percentage: 50 } },
      { entity: { user: uniqueName('admin-quota-bad') }, ops: { no_such_quota: 1 } },
    ]);
    expect(results[0]).toEqual({ entity: { user } });
    expect(results[1]?.error).toBeUndefined();
    expect(results[2]?.error).toBeInstanceOf(InvalidRequestError);

    const validated = await admin.alterClientQuotas([{ entity: { user }, ops: { producer_byte_rate: 1 } }], {
      validateOnly: true,
    });
    expect(validated[0]?.error).toBeUndefined();

    await eventually(async () => {
      const exact = await admin.describeClientQuotas({
        components: [{ entityType: 'user', match: { name: user } }],
        strict: true,
      });
      expect(exact).toEqual([
        { entity: { user }, quotas: { producer_byte_rate: 1_048_576, consumer_byte_rate: 2_097_152 } },
      ]);
      const loose = await admin.describeClientQuotas({ components: [{ entityType: 'user', match: { name: user } }] });
      expect(loose).toEqual(
        expect.arrayContaining([{ entity: { user, 'client-id': clientId }, quotas: { request_percentage: 50 } }]),
      );
    });

    unwrapResults(
      await admin.alterClientQuotas([
        { entity: { user }, ops: { producer_byte_rate: null, consumer_byte_rate: null } },
        { entity: { user, 'client-id': clientId }, ops: { request_percentage: null } },
      ]),
    );
    await eventually(async () => {
      const after = await admin.describeClientQuotas({ components: [{ entityType: 'user', match: { name: user } }] });
      expect(after).toEqual([]);
    });
  });
});

describe('Admin SCRAM credentials against the SASL listener', () => {
  it('sets credentials a client can log in with, describes and deletes them, failing bad ones alone', async () => {
    const user = uniqueName('admin-scram');
    const unknownMechanism = uniqueName('admin-scram-mech');
    const tooFewIterations = uniqueName('admin-scram-iter');
    const password = `pw-${uniqueName('secret')}`;
    const twice = uniqueName('admin-scram-twice');
    const results = await admin.alterUserScramCredentials([
      { user, mechanism: 'SCRAM-SHA-256', password, iterations: 8192 },
      { user: unknownMechanism, mechanism: 'SCRAM-SHA-1' as never, password },
      { user: tooFewIterations, mechanism: 'SCRAM-SHA-256', password, iterations: 100 },
      // Kafka takes one alteration per user and request.
      { user: twice, mechanism: 'SCRAM-SHA-256', password },
      { user: twice, mechanism: 'SCRAM-SHA-512', password },
    ]);
    expect(results.map((r) => r.user)).toEqual([user, unknownMechanism, tooFewIterations, twice]);
    expect(results[0]?.error).toBeUndefined();
    expect(results[1]?.error).toBeInstanceOf(UnsupportedSaslMechanismError);
    expect(results[2]?.error).toBeInstanceOf(UnacceptableCredentialError);
    expect(results[3]?.error).toBeInstanceOf(DuplicateResourceError);
    unwrapResults(await admin.alterUserScramCredentials([{ user, mechanism: 'SCRAM-SHA-512', password }]));

    const missing = uniqueName('admin-scram-missing');
    await eventually(async () => {
      const described = await admin.describeUserScramCredentials([user, missing]);
      const [found] = unwrapResults(described.slice(0, 1));
      expect([...(found?.credentials ?? [])].sort((a, b) => a.iterations - b.iterations)).toEqual([
        { mechanism: 'SCRAM-SHA-512', iterations: 4096 },
        { mechanism: 'SCRAM-SHA-256', iterations: 8192 },
      ]);
      expect(described[1]?.error).toBeInstanceOf(ResourceNotFoundError);
    });
    const everyone = await admin.describeUserScramCredentials();
    expect(everyone.map((r) => r.user)).toEqual(expect.arrayContaining(['admin', 'alice', 'bob', user]));

    // The salted password the admin client computed is the one the broker checks.
    const asUser = saslAdmin(user, password, 'SCRAM-SHA-256');
    await eventually(async () => {
      expect((await asUser.describeCluster()).brokers.length).toBeGreaterThan(0);
    });

    unwrapResults(await admin.alterUserScramCredentials([{ user, mechanism: 'SCRAM-SHA-256', delete: true }]));
    await eventually(async () => {
      const [after] = unwrapResults(await admin.describeUserScramCredentials([user]));
      expect(after?.credentials).toEqual([{ mechanism: 'SCRAM-SHA-512', iterations: 4096 }]);
    });
  });
});
