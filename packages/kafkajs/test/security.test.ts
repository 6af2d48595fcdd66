import { kafkaSasl, kafkaTls } from '@vltava/kafka-harness/vitest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  AclOperationTypes,
  AclPermissionTypes,
  AclResourceTypes,
  type Admin,
  KafkaJSError,
  KafkaJSProtocolError,
  type Mechanism,
  ResourcePatternTypes,
  type SASLOptions,
} from '../src/index.js';
import { createTopic, kafka, readTopic, uniqueName } from './support.js';

/** SASL/PLAIN written as a KafkaJS custom mechanism (the shape KafkaJS documents for custom mechanisms). */
function plainAsCustomMechanism(username: string, password: string): Mechanism {
  return {
    mechanism: 'PLAIN',
    authenticationProvider: ({ saslAuthenticate }) => ({
      authenticate: async () => {
        await saslAuthenticate({
          request: { encode: () => Buffer.from(`\u0000${username}\u0000${password}`) },
          response: { decode: (bytes: Buffer) => bytes, parse: (bytes: Buffer) => bytes.length },
        });
      },
    }),
  };
}

describe('SASL, TLS and ACLs against the broker', () => {
  const sasl = kafkaSasl();
  const alice = sasl.users.find((u) => u.username === 'alice')!;
  const admin: Admin = kafka().admin();
  beforeAll(async () => {
    await admin.connect();
  });
  afterAll(async () => {
    await admin.disconnect();
  });

  it('authenticates with the built-in mechanisms, named as in KafkaJS', async () => {
    const topic = uniqueName('kjs-sasl');
    await createTopic(admin, topic, 1);
    for (const mechanism of ['plain', 'scram-sha-256', 'scram-sha-512'] as const) {
      const options = { mechanism, username: alice.username, password: alice.password } as SASLOptions;
      const producer = kafka({ brokers: sasl.brokers, sasl: options }).producer();
      await producer.connect();
      await producer.send({ topic, messages: [{ value: mechanism }] });
      await producer.disconnect();
    }
    expect((await readTopic(topic)).map((m) => m.value)).toEqual(['plain', 'scram-sha-256', 'scram-sha-512']);
  });

  it('runs a custom mechanism through saslAuthenticate, and fails it with a KafkaJS error on bad credentials', async () => {
    const topic = uniqueName('kjs-custom-sasl');
    await createTopic(admin, topic, 1);
    const good = kafka({
      brokers: sasl.brokers,
      sasl: plainAsCustomMechanism(alice.username, alice.password),
    }).producer();
    await good.connect();
    await good.send({ topic, messages: [{ value: 'custom' }] });
    await good.disconnect();
    expect((await readTopic(topic)).map((m) => m.value)).toEqual(['custom']);
    const bad = kafka({
      brokers: sasl.brokers,
      sasl: plainAsCustomMechanism(alice.username, 'wrong'),
      retry: { retries: 0 },
    }).producer();
    const error = await bad.connect().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(KafkaJSError);
    expect((error as Error).name).toMatch(/KafkaJSSASLAuthenticationError|KafkaJSNonRetriableError/);
  });

  it('connects over TLS with the CA given as KafkaJS takes it (tls.connect options)', async () => {
    const tls = kafkaTls();
    const topic = uniqueName('kjs-tls');
    await createTopic(admin, topic, 1);
    const producer = kafka({ brokers: tls.brokers, ssl: { ca: [tls.ca] } }).producer();
    await producer.connect();
    await producer.send({ topic, messages: [{ value: 'over tls' }] });
    await producer.disconnect();
    expect((await readTopic(topic)).map((m) => m.value)).toEqual(['over tls']);
  });

  it('creates, describes and deletes ACLs in KafkaJS shapes, and the broker enforces them', async () => {
    const topic = uniqueName('kjs-acl');
    await createTopic(admin, topic, 1);
    const acl = {
      resourceType: AclResourceTypes.TOPIC,
      resourceName: topic,
      resourcePatternType: ResourcePatternTypes.LITERAL,
      principal: `User:${alice.username}`,
      host: '*',
      operation: AclOperationTypes.WRITE,
      permissionType: AclPermissionTypes.DENY,
    };
    expect(await admin.createAcls({ acl: [acl] })).toBe(true);
    const filter = {
      resourceType: AclResourceTypes.TOPIC,
      resourceName: topic,
      resourcePatternType: ResourcePatternTypes.LITERAL,
      operation: AclOperationTypes.ANY,
      permissionType: AclPermissionTypes.ANY,
    };
    await expect
      .poll(async () => (await admin.describeAcls(filter)).resources)
      .toEqual([
        {
          resourceType: AclResourceTypes.TOPIC,
          resourceName: topic,
          resourcePatternType: ResourcePatternTypes.LITERAL,
          acls: [
            {
              principal: `User:${alice.username}`,
              host: '*',
              operation: AclOperationTypes.WRITE,
              permissionType: AclPermissionTypes.DENY,
            },
          ],
        },
      ]);
    const producer = kafka({
      brokers: sasl.brokers,
      sasl: { mechanism: 'plain', username: alice.username, password: alice.password },
    }).producer();
    await producer.connect();
    const denied = await producer.send({ topic, messages: [{ value: 'x' }] }).catch((e: unknown) => e);
    expect(denied).toBeInstanceOf(KafkaJSProtocolError);
    expect((denied as KafkaJSProtocolError).type).toBe('TOPIC_AUTHORIZATION_FAILED');
    expect((denied as KafkaJSProtocolError).retriable).toBe(false);
    const deleted = await admin.deleteAcls({ filters: [filter] });
    expect(deleted.filterResponses).toHaveLength(1);
    expect(deleted.filterResponses[0]!.matchingAcls).toEqual([{ errorCode: 0, ...acl }]);
    await expect.poll(async () => (await admin.describeAcls(filter)).resources).toEqual([]);
    await producer.send({ topic, messages: [{ value: 'allowed again' }] });
    await producer.disconnect();
  });
});
