// vitest global setup of the `integration` project: starts ONE shared single-node broker for every integration
// suite (PLAINTEXT, SASL_PLAINTEXT, SSL and SASL_SSL listeners, the StandardAuthorizer with allow-if-no-ACL) and
// provides its addresses and credentials (see `ProvidedContext` in ./index.ts). The broker is the release named by
// KAFKA_VERSION (a supported line such as 3.7, or its version), else the newest supported one. With
// KAFKA_BROKERS=host:port,... it starts nothing and provides that address instead.
import type { TestProject } from 'vitest/node';
import type { KafkaCluster } from '../cluster/kafka-cluster.js';
import { startKafka } from '../cluster/start-kafka.js';
import { SASL_MECHANISMS, TEST_USERS } from '../cluster/test-users.js';
import { describeError, KafkaHarnessError } from '../errors.js';
import { pollUntil } from '../process/wait-for.js';
import { fetchMetadata, type MetadataResult } from '../wire/kafka-wire-client.js';
import type {} from './index.js';

function log(message: string): void {
  console.log(`[kafka-harness] ${message}`);
}

/** Checks that the external cluster answers (within 30 s) and reads its cluster id. */
async function externalMetadata(bootstrap: string): Promise<MetadataResult> {
  const endpoints = bootstrap.split(',').map((address) => {
    const colon = address.lastIndexOf(':');
    return { host: address.slice(0, colon).trim(), port: Number(address.slice(colon + 1)) };
  });
  const result = await pollUntil(
    async () => {
      let lastError: unknown;
      for (const endpoint of endpoints) {
        try {
          return await fetchMetadata(endpoint, [], { timeoutMs: 5_000 });
        } catch (error) {
          lastError = error;
        }
      }
      throw lastError;
    },
    { timeoutMs: 30_000, intervalMs: 500 },
  );
  if (!result.ok) {
    throw new KafkaHarnessError(
      'ERR_KAFKA_TIMEOUT',
      `KAFKA_BROKERS=${bootstrap} does not answer Metadata (${result.reason}): ${describeError(result.lastError)}. ` +
        'Start that cluster, or unset KAFKA_BROKERS to let the harness start a broker.',
      { cause: result.lastError },
    );
  }
  return result.value;
}

/** Starts the shared broker (or adopts `KAFKA_BROKERS`) and returns the teardown that stops it. */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const external = process.env.KAFKA_BROKERS?.trim();
  if (external !== undefined && external !== '') {
    log(`using the external cluster KAFKA_BROKERS=${external}`);
    const metadata = await externalMetadata(external);
    project.provide('kafkaBootstrap', external);
    project.provide('kafkaExternal', true);
    project.provide('kafkaVersion', 'unknown');
    project.provide('kafkaClusterId', metadata.clusterId);
    project.provide('kafkaSaslBootstrap', null);
    project.provide('kafkaSaslSslBootstrap', null);
    project.provide('kafkaSaslMechanisms', []);
    project.provide('kafkaSaslUsers', []);
    project.provide('kafkaSslBootstrap', null);
    project.provide('kafkaSslCaPem', null);
    project.provide('kafkaSslCaFile', null);
    project.provide('kafkaSslClientCertPem', null);
    project.provide('kafkaSslClientKeyPem', null);
    project.provide('kafkaSslClientKeystoreFile', null);
    project.provide('kafkaAuthorizer', false);
    project.provide('kafkaLogFile', null);
    return async () => {};
  }

  const startedAt = Date.now();
  const cluster: KafkaCluster = await startKafka({ sasl: true, ssl: true, authorizer: true, log });
  log(
    `Apache Kafka ${cluster.version} ready in ${Date.now() - startedAt} ms: ${cluster.bootstrap} (log ${cluster.logFile(1)})`,
  );
  const sasl = cluster.sasl!;
  const tls = cluster.tls!;
  project.provide('kafkaBootstrap', cluster.bootstrap);
  project.provide('kafkaExternal', false);
  project.provide('kafkaVersion', cluster.version);
  project.provide('kafkaClusterId', cluster.clusterId);
  project.provide('kafkaSaslBootstrap', sasl.bootstrap);
  project.provide('kafkaSaslSslBootstrap', sasl.saslSslBrokers?.join(',') ?? null);
  project.provide('kafkaSaslMechanisms', [...SASL_MECHANISMS]);
  project.provide(
    'kafkaSaslUsers',
    TEST_USERS.map((user) => ({ ...user })),
  );
  project.provide('kafkaSslBootstrap', tls.bootstrap);
  project.provide('kafkaSslCaPem', tls.caPem);
  project.provide('kafkaSslCaFile', tls.caFile);
  project.provide('kafkaSslClientCertPem', tls.clientCertPem);
  project.provide('kafkaSslClientKeyPem', tls.clientKeyPem);
  project.provide('kafkaSslClientKeystoreFile', tls.clientKeystoreFile);
  project.provide('kafkaAuthorizer', cluster.authorizer);
  project.provide('kafkaLogFile', cluster.logFile(1));
  return async () => {
    await cluster.stop();
  };
}
