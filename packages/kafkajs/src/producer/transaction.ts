import type { TopicOffsets } from '../consumer/consumer-types.js';
import type { CoreProducer } from '../core.js';
import { KafkaJSNonRetriableError } from '../errors/errors.js';
import { retriesExhausted } from '../errors/from-core.js';
import type { ProducerBatch, ProducerRecord, TopicMessages } from './message.js';
import type { RecordMetadata } from './producer.js';

/** What `transaction.sendOffsets` takes. */
export interface Offsets {
  topics: TopicOffsets[];
}

type Engine = CoreProducer<Buffer | string, Buffer | string>;
type Send = (messages: TopicMessages[], acks: number) => Promise<RecordMetadata[]>;

/**
 * A KafkaJS transaction: sends and consumed offsets that become visible together on `commit()`, or never after
 * `abort()`. Once ended, every method rejects with `KafkaJSNonRetriableError`, as in KafkaJS.
 */
export class Transaction {
  private ended = false;

  /** @internal Made by `producer.transaction()`. */
  constructor(
    private readonly engine: Engine,
    private readonly sendMessages: Send,
  ) {}

  /** Whether the transaction can still be used. */
  isActive(): boolean {
    return !this.ended;
  }

  /** Sends messages to one topic within the transaction. */
  send(record: ProducerRecord): Promise<RecordMetadata[]> {
    return this.guard(() =>
      this.sendMessages([{ topic: record?.topic, messages: record?.messages }], record?.acks ?? -1),
    );
  }

  /** Sends messages to several topics within the transaction. */
  sendBatch(batch: ProducerBatch): Promise<RecordMetadata[]> {
    return this.guard(() => this.sendMessages(batch?.topicMessages ?? [], batch?.acks ?? -1));
  }

  /**
   * Adds a consumer group's offsets to the transaction: they are committed if, and only if, the transaction commits.
   */
  sendOffsets(offsets: Offsets & { consumerGroupId: string }): Promise<void> {
    return this.guard(async () => {
      const list = (offsets?.topics ?? []).flatMap(({ topic, partitions }) =>
        partitions.map(({ partition, offset }) => ({ topic, partition, offset: BigInt(offset) })),
      );
      try {
        await this.engine.sendOffsetsToTransaction(list, offsets.consumerGroupId);
      } catch (error) {
        throw retriesExhausted(error, 0);
      }
    });
  }

  /** Commits: the transaction's messages and offsets become visible. */
  commit(): Promise<void> {
    return this.guard(async () => {
      try {
        await this.engine.commitTransaction();
      } catch (error) {
        throw retriesExhausted(error, 0);
      }
      this.ended = true;
    });
  }

  /** Aborts: the transaction's messages are never visible to `read_committed` consumers, its offsets not committed. */
  abort(): Promise<void> {
    return this.guard(async () => {
      try {
        await this.engine.abortTransaction();
      } catch (error) {
        throw retriesExhausted(error, 0);
      }
      this.ended = true;
    });
  }

  private guard<T>(fn: () => Promise<T>): Promise<T> {
    if (this.ended)
      return Promise.reject(new KafkaJSNonRetriableError('Cannot continue to use transaction once ended'));
    try {
      return fn();
    } catch (error) {
      return Promise.reject(error);
    }
  }
}
