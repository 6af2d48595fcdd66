// The secured listeners of the shared broker: SASL (PLAIN, SCRAM-SHA-256, SCRAM-SHA-512, OAUTHBEARER) with the
// known users, SSL with the generated CA (and mutual TLS), SASL_SSL, and the StandardAuthorizer.
import { describe, expect, inject, it } from 'vitest';
import type { SaslMechanism } from '../src/cluster/test-users.js';
import type { ClientSecurity } from '../src/tools/client-properties.js';
import { kafkaSasl, kafkaTls, kafkaTool, uniqueName } from '../src/vitest/index.js';
import { KafkaWireConnection, type WireEndpoint, withWireConnection } from '../src/wire/kafka-wire-client.js';

function endpointOf(address: string): WireEndpoint {
  const [host, port] = address.split(':');
  return { host: host!, port: Number(port) };
}

function password(username: string): string {
  return kafkaSasl().users.find((u) => u.username === username)!.password;
}

describe('the SASL_PLAINTEXT listener', () => {
  it('authenticates a known user with PLAIN and refuses a wrong password', async () => {
    const endpoint = endpointOf(kafkaSasl().brokers[0]!);
    const session = await withWireConnection(endpoint, (c) => c.saslPlain('admin', password('admin')));
    expect(session.sessionLifetimeMs).toBe(0n);
    const refused = await withWireConnection(endpoint, (c) => c.saslPlain('alice', 'not-her-password')).catch(
      (e: unknown) => e,
    );
    expect((refused as Error).message).toMatch(/authentication of alice failed \(error code 58/);
    expect((refused as Error).message).not.toContain('not-her-password');
  });

  it('lets Kafka tools in with every mechanism', async () => {
    const logins: [SaslMechanism, string][] = [
      ['PLAIN', 'admin'],
      ['SCRAM-SHA-256', 'alice'],
      ['SCRAM-SHA-512', 'bob'],
      ['OAUTHBEARER', 'alice'],
    ];
    const results = await Promise.all(
      logins.map(([mechanism, username]) =>
        kafkaTool('kafka-topics', ['--list'], { security: { listener: 'SASL_PLAINTEXT', mechanism, username } }),
      ),
    );
    for (const [index, result] of results.entries()) {
      expect(result.exitCode, `${logins[index]!.join(' as ')}: ${result.stderr}`).toBe(0);
    }
  });

  it('turns a Kafka tool with a wrong SCRAM password away', async () => {
    const result = await kafkaTool('kafka-topics', ['--list'], {
      security: { listener: 'SASL_PLAINTEXT', mechanism: 'SCRAM-SHA-256', username: 'bob', password: 'wrong' },
    });
    expect(result.exitCode).not.toBe(0);
    expect(`${result.stdout}${result.stderr}`).toMatch(/Authentication failed/i);
  });
});

describe('the SSL listener', () => {
  it('serves a certificate for 127.0.0.1 signed by the provided CA, with and without a client certificate', async () => {
    const tls = kafkaTls();
    const endpoint = endpointOf(tls.brokers[0]!);
    const plain = await withWireConnection({ ...endpoint, tls: { ca: tls.ca } }, (c) => c.apiVersions());
    expect(plain.apis.size).toBeGreaterThan(50);
    const mutual = await withWireConnection(
      { ...endpoint, tls: { ca: tls.ca, cert: tls.clientCert, key: tls.clientKey } },
      (c) => c.metadata(),
    );
    expect(mutual.brokers).toHaveLength(1);
    const untrusted = await KafkaWireConnection.connect({ ...endpoint, tls: {} }).catch((e: unknown) => e);
    expect((untrusted as Error).message).toMatch(/self[- ]signed|unable to verify|certificate/i);
  });

  it('lets Kafka tools in over SSL and SASL_SSL with the PEM CA', async () => {
    const [ssl, saslSsl] = await Promise.all([
      kafkaTool('kafka-topics', ['--list'], { security: { listener: 'SSL' } }),
      kafkaTool('kafka-topics', ['--list'], {
        security: { listener: 'SASL_SSL', mechanism: 'SCRAM-SHA-512', username: 'alice', mutualTls: true },
      }),
    ]);
    expect(ssl.exitCode, ssl.stderr).toBe(0);
    expect(saslSsl.exitCode, saslSsl.stderr).toBe(0);
  });
});

describe('the StandardAuthorizer', () => {
  it('is on, allows everyone where no ACL exists, and enforces ACLs (SASL and mutual-TLS principals)', async () => {
    expect(inject('kafkaAuthorizer')).toBe(true);
    const topic = uniqueName('acl-topic');
    const admin = { listener: 'SASL_PLAINTEXT', mechanism: 'PLAIN', username: 'admin' } as const;
    const created = await kafkaTool('kafka-topics', ['--create', '--topic', topic], { security: admin });
    expect(created.exitCode, created.stderr).toBe(0);

    // No ACL on the topic yet: alice may describe it.
    const describe = (security: ClientSecurity) =>
      kafkaTool('kafka-topics', ['--describe', '--topic', topic], { security });
    const alice = { listener: 'SASL_PLAINTEXT', mechanism: 'SCRAM-SHA-256', username: 'alice' } as const;
    expect((await describe(alice)).exitCode).toBe(0);

    const acl = await kafkaTool(
      'kafka-acls',
      // kafka-topics --describe reads the topic's configs too.
      [
        '--add',
        '--allow-principal',
        'User:bob',
        '--operation',
        'Describe',
        '--operation',
        'DescribeConfigs',
        '--topic',
        topic,
      ],
      { security: admin },
    );
    expect(acl.exitCode, acl.stderr).toBe(0);

    const [asAlice, asBob, asAliceCertificate] = await Promise.all([
      describe(alice),
      describe({ listener: 'SASL_PLAINTEXT', mechanism: 'SCRAM-SHA-512', username: 'bob' }),
      describe({ listener: 'SSL', mutualTls: true }),
    ]);
    expect(asBob.exitCode, asBob.stderr).toBe(0);
    expect(asBob.stdout).toContain(topic);
    // Denied: Kafka either says so or hides the topic from a principal that may not describe it.
    const denied = /TopicAuthorizationException|does not exist as expected/;
    expect(asAlice.exitCode).not.toBe(0);
    expect(asAlice.stderr).toMatch(denied);
    expect(asAliceCertificate.exitCode).not.toBe(0);
    expect(asAliceCertificate.stderr).toMatch(denied);
  });
});
