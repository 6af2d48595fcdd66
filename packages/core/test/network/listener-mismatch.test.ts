import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generateTlsMaterial, type TlsMaterial } from '@vltava/kafka-harness';
import {
  type KafkaCluster,
  kafkaBrokers,
  kafkaSasl,
  kafkaTls,
  startCluster,
  uniqueName,
} from '@vltava/kafka-harness/vitest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Admin } from '../../src/admin/index.js';
import type { ClientOptions } from '../../src/cluster/client-options.js';
import { Consumer } from '../../src/consumer/index.js';
import { AuthenticationError, type KafkaError, TlsError } from '../../src/errors/index.js';
import { Producer } from '../../src/producer/index.js';

/**
 * A client whose security settings do not match the listener it reaches, and a broker that refuses the client's
 * certificate, fail every surface (Producer.send, Consumer poll and iteration, an Admin call) with a typed,
 * non-retriable error that names the cause, well within connectionTimeoutMs (10 s here; every other timeout is
 * 30 s, so a retry loop would show as a time far above the bound).
 */
const BOUND_MS = 3_000;
const base = {
  clientId: 'listener-mismatch-test',
  logLevel: 'silent',
  connectionTimeoutMs: 10_000,
  requestTimeoutMs: 10_000,
} as const;

interface Outcome {
  readonly error: unknown;
  readonly ms: number;
}

async function timeToError(run: () => Promise<unknown>): Promise<Outcome> {
  const started = Date.now();
  try {
    await run();
  } catch (error) {
    return { error, ms: Date.now() - started };
  }
  throw new Error('expected the call to fail');
}

/** The four surfaces, each with a fresh client of `options`. */
const surfaces: Record<string, (options: ClientOptions) => Promise<unknown>> = {
  'Producer.send': async (options) => {
    const producer = new Producer({ ...options, maxBlockMs: 30_000 });
    try {
      await producer.send({ topic: uniqueName('mismatch'), value: 'x' });
    } finally {
      await producer.close({ timeoutMs: 1_000 }).catch(() => undefined);
    }
  },
  'Consumer.poll': async (options) => {
    const consumer = new Consumer({ ...options, groupId: uniqueName('mismatch') });
    try {
      consumer.subscribe([uniqueName('mismatch')]);
      const deadline = Date.now() + 30_000;
      while (Date.now() < deadline) await consumer.poll({ timeoutMs: 500 });
    } finally {
      await consumer.close({ timeoutMs: 1_000 }).catch(() => undefined);
    }
  },
  'Consumer iteration': async (options) => {
    const consumer = new Consumer({ ...options, groupId: uniqueName('mismatch') });
    try {
      consumer.subscribe([uniqueName('mismatch')]);
      for await (const _record of consumer) break;
    } finally {
      await consumer.close({ timeoutMs: 1_000 }).catch(() => undefined);
    }
  },
  'Admin.listTopics': async (options) => {
    const admin = new Admin(options);
    try {
      await admin.listTopics({ timeoutMs: 30_000 });
    } finally {
      await admin.close();
    }
  },
};

interface Case {
  readonly name: string;
  readonly options: () => ClientOptions;
  readonly type: typeof TlsError | typeof AuthenticationError;
  readonly message: RegExp;
}

function expectDiagnosis(outcome: Outcome, expected: Case): void {
  const { error, ms } = outcome;
  expect(error).toBeInstanceOf(expected.type);
  const kafkaError = error as KafkaError;
  expect(kafkaError.message).toMatch(expected.message);
  expect(kafkaError.retriable).toBe(false);
  expect(kafkaError.recovery).toBe('fail-client');
  expect(ms).toBeLessThan(BOUND_MS);
}

describe('listener mismatches against the shared broker', () => {
  const ca = () => kafkaTls().ca;
  const saslSsl = () => {
    const brokers = kafkaSasl().saslSslBrokers;
    if (brokers === null) throw new Error('the shared broker has no SASL_SSL listener');
    return brokers;
  };
  const admin = () => kafkaSasl().users.find((u) => u.superUser)!;
  const cases: readonly Case[] = [
    {
      name: 'TLS client on the PLAINTEXT listener',
      options: () => ({ ...base, brokers: kafkaBrokers(), ssl: { ca: ca() } }),
      type: TlsError,
      message:
        /closed the connection during the TLS handshake without answering.*PLAINTEXT\/SASL_PLAINTEXT listener\? Remove ssl/,
    },
    {
      name: 'TLS client with SASL on the SASL_PLAINTEXT listener',
      options: () => ({
        ...base,
        brokers: kafkaSasl().brokers,
        ssl: { ca: ca() },
        sasl: { mechanism: 'PLAIN', username: admin().username, password: admin().password },
      }),
      type: TlsError,
      message:
        /closed the connection during the TLS handshake without answering.*PLAINTEXT\/SASL_PLAINTEXT listener\? Remove ssl/,
    },
    {
      name: 'plaintext client on the SSL listener',
      options: () => ({ ...base, brokers: kafkaTls().brokers }),
      type: TlsError,
      message: /this port speaks TLS.*set ssl/,
    },
    {
      name: 'plaintext client with SASL on the SASL_SSL listener',
      options: () => ({
        ...base,
        brokers: saslSsl(),
        sasl: { mechanism: 'PLAIN', username: admin().username, password: admin().password },
      }),
      type: TlsError,
      message: /this port speaks TLS.*set ssl/,
    },
    {
      name: 'client without SASL on the SASL_PLAINTEXT listener',
      options: () => ({ ...base, brokers: kafkaSasl().brokers }),
      type: AuthenticationError,
      message: /requires SASL authentication \(SASL_PLAINTEXT or SASL_SSL\): set sasl/,
    },
    {
      name: 'TLS client without SASL on the SASL_SSL listener',
      options: () => ({ ...base, brokers: saslSsl(), ssl: { ca: ca() } }),
      type: AuthenticationError,
      message: /requires SASL authentication \(SASL_PLAINTEXT or SASL_SSL\): set sasl/,
    },
    {
      name: 'client with SASL on the PLAINTEXT listener',
      options: () => ({
        ...base,
        brokers: kafkaBrokers(),
        sasl: { mechanism: 'PLAIN', username: admin().username, password: admin().password },
      }),
      type: AuthenticationError,
      message: /does not use SASL \(it is PLAINTEXT or SSL\): remove sasl/,
    },
    {
      name: 'a SASL mechanism the broker does not enable',
      options: () => ({
        ...base,
        brokers: kafkaSasl().brokers,
        sasl: { mechanism: 'GSSAPI', authenticate: async () => {} },
      }),
      type: AuthenticationError,
      message: /does not enable SASL mechanism GSSAPI; it enables .*PLAIN.*SCRAM-SHA-512/,
    },
  ];
  for (const testCase of cases) {
    describe(testCase.name, () => {
      for (const [surface, run] of Object.entries(surfaces)) {
        it(`${surface} fails with ${testCase.type.name} naming the cause within ${BOUND_MS} ms`, async () => {
          expectDiagnosis(await timeToError(() => run(testCase.options())), testCase);
        });
      }
    });
  }
});

describe('a broker that requires a client certificate (ssl.client.auth=required)', () => {
  let cluster: KafkaCluster;
  let foreign: TlsMaterial;
  let foreignDir: string;
  beforeAll(async () => {
    foreignDir = await mkdtemp(join(tmpdir(), 'vltava-foreign-cert-'));
    [cluster, foreign] = await Promise.all([
      startCluster({ ssl: { clientAuth: 'required' } }),
      generateTlsMaterial(foreignDir, 'mallory'),
    ]);
  });
  afterAll(async () => {
    await cluster?.stop();
    await rm(foreignDir, { recursive: true, force: true });
  });

  const versions = {
    'TLS 1.2': { maxVersion: 'TLSv1.2' },
    'TLS 1.3': { minVersion: 'TLSv1.3' },
  } as const;
  const tlsOptions = (version: keyof typeof versions, certificate: 'none' | 'foreign' | 'trusted'): ClientOptions => {
    const tls = cluster.tls!;
    const pair =
      certificate === 'none'
        ? {}
        : certificate === 'foreign'
          ? { cert: foreign.clientCertPem, key: foreign.clientKeyPem }
          : { cert: tls.clientCertPem, key: tls.clientKeyPem };
    return { ...base, brokers: tls.bootstrap, ssl: { ca: tls.caPem, ...versions[version], ...pair } };
  };

  for (const version of Object.keys(versions) as Array<keyof typeof versions>) {
    it(`${version}: the trusted client certificate connects (the control)`, async () => {
      const admin = new Admin(tlsOptions(version, 'trusted'));
      try {
        await expect(admin.listTopics({ timeoutMs: 30_000 })).resolves.toBeInstanceOf(Array);
      } finally {
        await admin.close();
      }
    });
    const cases: Case[] = [
      {
        name: `${version}, no client certificate`,
        options: () => tlsOptions(version, 'none'),
        type: TlsError,
        message:
          /The broker requires a client certificate \(TLS alert '[a-z ]+', ssl.client.auth=required\): set ssl.cert and ssl.key/,
      },
      {
        name: `${version}, a client certificate from another CA`,
        options: () => tlsOptions(version, 'foreign'),
        type: TlsError,
        message: /The broker refused the client certificate \(TLS alert '[a-z ]+'\).*truststore/,
      },
    ];
    for (const testCase of cases) {
      describe(testCase.name, () => {
        for (const [surface, run] of Object.entries(surfaces)) {
          it(`${surface} fails with TlsError naming the cause within ${BOUND_MS} ms`, async () => {
            expectDiagnosis(await timeToError(() => run(testCase.options())), testCase);
          });
        }
      });
    }
  }
});

describe('a bootstrap list that names other listeners too', () => {
  it('connects through the address whose listener matches, the others failing fast', async () => {
    // Candidates are tried in random order: four clients over three addresses meet a wrong one first 80 times in 81.
    const brokers = [kafkaBrokers()[0]!, kafkaSasl().brokers[0]!, kafkaTls().brokers[0]!];
    for (let i = 0; i < 4; i++) {
      const admin = new Admin({ ...base, brokers, ssl: { ca: kafkaTls().ca } });
      try {
        const started = Date.now();
        await expect(admin.listTopics({ timeoutMs: 30_000 })).resolves.toBeInstanceOf(Array);
        expect(Date.now() - started).toBeLessThan(BOUND_MS);
      } finally {
        await admin.close();
      }
    }
  });
});
