/**
 * KafkaJS compatibility of the public surface, checked against kafkajs 2.2.4 itself (a devDependency under the
 * alias `kafkajs-upstream`): at compile time, this package's clients, payloads and errors are assignable to
 * KafkaJS's types and KafkaJS-typed configurations are accepted; at run time, every value KafkaJS exports exists here
 * with the same values.
 */
import type * as Upstream from 'kafkajs-upstream';
import upstream from 'kafkajs-upstream';
import { describe, expect, it } from 'vitest';
import * as ours from './index.js';

// Compile time: what applications hold (clients, payloads, errors) is assignable to KafkaJS's types ...
function ourClientsAreKafkaJSClients(kafka: ours.Kafka): void {
  const asKafka: Upstream.Kafka = kafka;
  const producer: Upstream.Producer = kafka.producer();
  const consumer: Upstream.Consumer = kafka.consumer({ groupId: 'g' });
  const admin: Upstream.Admin = kafka.admin();
  const logger: Upstream.Logger = kafka.logger();
  const transaction = async (): Promise<Upstream.Transaction> => kafka.producer().transaction();
  const errorClass: typeof Upstream.KafkaJSError = ours.KafkaJSError;
  const protocolError: Upstream.KafkaJSProtocolError = new ours.KafkaJSProtocolError('x');
  const exceeded: Upstream.KafkaJSNumberOfRetriesExceeded = new ours.KafkaJSNumberOfRetriesExceeded('x');
  const assigners: typeof Upstream.PartitionAssigners = ours.PartitionAssigners;
  const protocol: typeof Upstream.AssignerProtocol = ours.AssignerProtocol;
  const partitioners: typeof Upstream.Partitioners = ours.Partitioners;
  void [asKafka, producer, consumer, admin, logger, transaction, errorClass, protocolError, exceeded];
  void [assigners, protocol, partitioners];
}

// ... and what applications write against KafkaJS's types is accepted.
function kafkaJSConfigurationsAreAccepted(
  kafkaConfig: Upstream.KafkaConfig,
  producerConfig: Upstream.ProducerConfig,
  consumerConfig: Upstream.ConsumerConfig,
  runConfig: Upstream.ConsumerRunConfig,
  record: Upstream.ProducerRecord,
  batch: Upstream.ProducerBatch,
  subscription: Upstream.ConsumerSubscribeTopics,
  assigner: Upstream.PartitionAssigner,
): void {
  const kafka = new ours.Kafka(kafkaConfig);
  const producer = kafka.producer(producerConfig);
  void producer.send(record);
  void producer.sendBatch(batch);
  const consumer = kafka.consumer({ ...consumerConfig, partitionAssigners: [assigner] });
  void consumer.subscribe(subscription);
  void consumer.run(runConfig);
  const removeListener: Upstream.RemoveInstrumentationEventListener<'consumer.crash'> = consumer.on(
    consumer.events.CRASH,
    (event: Upstream.ConsumerCrashEvent) => void event.payload.restart,
  );
  void removeListener;
}
void ourClientsAreKafkaJSClients;
void kafkaJSConfigurationsAreAccepted;

const exported = ours as unknown as Record<string, unknown>;

describe('KafkaJS compatibility of the exports', () => {
  it('exports every value kafkajs 2.2.4 exports', () => {
    const missing = Object.keys(upstream).filter((name) => !(name in ours));
    expect(missing).toEqual([]);
  });

  it('has the same enums', () => {
    for (const name of [
      'logLevel',
      'CompressionTypes',
      'ConfigResourceTypes',
      'AclResourceTypes',
      'AclOperationTypes',
      'AclPermissionTypes',
      'ResourcePatternTypes',
      'ConfigSource',
    ] as const) {
      expect({ name, values: exported[name] }).toEqual({ name, values: upstream[name] });
    }
  });

  it('has the same error classes: names, retriability, inheritance', () => {
    const upstreamErrors = Object.entries(upstream).filter(
      ([name, value]) => name.startsWith('KafkaJS') && typeof value === 'function',
    );
    expect(upstreamErrors.length).toBeGreaterThan(20);
    const table = exported as Record<string, new (...args: unknown[]) => Error>;
    for (const [name, Theirs] of upstreamErrors) {
      const Ours = table[name]!;
      const args =
        name === 'KafkaJSDeleteTopicRecordsError'
          ? [{ topic: 't', partitions: [] }]
          : name === 'KafkaJSAggregateError'
            ? ['m', []]
            : ['m', {}];
      const theirs = new (Theirs as new (...a: unknown[]) => Error)(...args);
      const mine = new Ours(...args);
      expect({ name, errorName: mine.name, retriable: (mine as { retriable?: boolean }).retriable }).toEqual({
        name,
        errorName: theirs.name,
        retriable: (theirs as { retriable?: boolean }).retriable,
      });
      expect(mine).toBeInstanceOf(Error);
    }
    expect(new ours.KafkaJSNumberOfRetriesExceeded('x')).toBeInstanceOf(ours.KafkaJSNonRetriableError);
    expect(new ours.KafkaJSOffsetOutOfRange('x')).toBeInstanceOf(ours.KafkaJSProtocolError);
    expect(new ours.KafkaJSLockTimeout('x')).toBeInstanceOf(ours.KafkaJSTimeout);
  });
});
