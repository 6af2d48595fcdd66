import { Admin, type AdminConfig } from './admin/admin.js';
import { checkKafkaConfig, type KafkaConfig, type SharedConfig } from './config/kafka-config.js';
import { Consumer } from './consumer/consumer.js';
import type { ConsumerConfig } from './consumer/consumer-types.js';
import { createLogger, type Logger } from './logger/logger.js';
import { Producer, type ProducerConfig } from './producer/producer.js';
import { resolveRetry } from './retry/retry.js';

let partitionerWarned = false;

/**
 * The entry point of KafkaJS: `new Kafka(config)` holds the connection settings; `producer()`, `consumer()` and
 * `admin()` create clients, each on its own connections to the cluster (through Vltava's engine).
 *
 * ```ts
 * import { Kafka } from '@vltava/kafkajs'; // was: from 'kafkajs'
 *
 * const kafka = new Kafka({ clientId: 'my-app', brokers: ['kafka1:9092'] });
 * const producer = kafka.producer();
 * await producer.connect();
 * await producer.send({ topic: 'test-topic', messages: [{ value: 'Hello KafkaJS user!' }] });
 * ```
 */
export class Kafka {
  private readonly shared: SharedConfig;

  constructor(config: KafkaConfig) {
    checkKafkaConfig(config);
    const logger = createLogger({
      ...(config.logLevel === undefined ? {} : { level: config.logLevel }),
      ...(config.logCreator === undefined ? {} : { logCreator: config.logCreator }),
    });
    this.shared = { config, logger, retry: resolveRetry(config.retry) };
  }

  /** A producer. */
  producer(config?: ProducerConfig): Producer {
    if (config?.createPartitioner === undefined && !partitionerWarned && !process.env.KAFKAJS_NO_PARTITIONER_WARNING) {
      partitionerWarned = true;
      this.shared.logger.debug(
        "The default partitioner is KafkaJS 2's DefaultPartitioner (Java-compatible key hashing). Producers that must " +
          'place keys as KafkaJS 1.x did set createPartitioner: Partitioners.LegacyPartitioner.',
      );
    }
    return new Producer(this.shared, config);
  }

  /** A consumer of the group `config.groupId`. */
  consumer(config: ConsumerConfig): Consumer {
    return new Consumer(this.shared, config);
  }

  /** An admin client. */
  admin(config?: AdminConfig): Admin {
    return new Admin(this.shared, config);
  }

  /** The logger of this instance. */
  logger(): Logger {
    return this.shared.logger;
  }
}
