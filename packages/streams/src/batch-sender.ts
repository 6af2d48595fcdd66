import type { KafkaError, ProducerRecord, RecordMetadata } from '@vltava/core';
import { KnownTopics } from './known-topics.js';
import { mappingError, type RecordTarget, recordMapper } from './record-target.js';
import type { StreamProducer } from './stream-producer.js';

/** The outcome of sending a list of chunks: per chunk, metadata, an error, or nothing sent (mapped to null). */
export interface BatchOutcome {
  /** Records acknowledged. */
  readonly acknowledged: number;
  /** The first error by chunk order, if any record failed. */
  readonly firstError: KafkaError | undefined;
  /** Metadata of chunk `index`; `undefined` when it failed or was not sent. */
  metadata(index: number): RecordMetadata | undefined;
  /** Error of chunk `index`, if it failed. */
  error(index: number): KafkaError | undefined;
}

const NOTHING: BatchOutcome = {
  acknowledged: 0,
  firstError: undefined,
  metadata: () => undefined,
  error: () => undefined,
};

/**
 * The sending half shared by the write and send streams: maps chunks to records, loads the metadata of topics not
 * written to before (see {@link KnownTopics}), waits for room in the producer's buffer (backpressure instead of
 * `BufferExhaustedError`), sends them with one `sendBatch` without waiting for `lingerMs` (a flush: on a producer
 * shared with other code, their buffered records go too) and resolves once every record has its outcome (the
 * broker acknowledged it, or it failed with a typed error).
 */
export class BatchSender<T, K, V> {
  private readonly producer: StreamProducer<K, V>;
  private readonly map: (chunk: T) => ProducerRecord<K, V> | null | undefined;
  private readonly topics: KnownTopics;
  private readonly closeProducer: boolean;
  private inFlight: Promise<unknown> = Promise.resolve();
  private closing: Promise<void> | undefined;
  /** Records the broker acknowledged. */
  acknowledged = 0;
  /** Batches handed to the producer. */
  batches = 0;
  /** The first delivery (or mapping) error, once a record failed. */
  failure: KafkaError | undefined;

  constructor(producer: StreamProducer<K, V>, target: RecordTarget<T, K, V>, closeProducer: boolean) {
    this.producer = producer;
    this.topics = new KnownTopics(producer as StreamProducer<unknown, unknown>);
    this.map = recordMapper(target);
    this.closeProducer = closeProducer;
  }

  /**
   * Sends the chunks as one batch and resolves once each has its outcome, keeping count of acknowledgements and
   * the first failure. Rejects only when mapping a chunk fails (nothing is sent then).
   */
  send(chunks: readonly T[]): Promise<BatchOutcome> {
    this.batches++;
    const sending = this.sendBatch(chunks).then(
      (outcome) => {
        this.acknowledged += outcome.acknowledged;
        if (outcome.firstError !== undefined) this.failure ??= outcome.firstError;
        return outcome;
      },
      (error: KafkaError) => {
        this.failure ??= error;
        throw error;
      },
    );
    this.inFlight = sending.catch(() => undefined);
    return sending;
  }

  /** The input ended: flushes the producer (and closes it when owned). */
  async finish(): Promise<void> {
    await this.producer.flush();
    await this.closeIfOwned();
  }

  /** The stream is destroyed: waits for the batch in flight to settle (then closes the producer when owned). */
  async settle(): Promise<void> {
    await this.inFlight;
    await this.closeIfOwned();
  }

  private closeIfOwned(): Promise<void> {
    if (!this.closeProducer) return Promise.resolve();
    this.closing ??= this.producer.close();
    return this.closing;
  }

  private async sendBatch(chunks: readonly T[]): Promise<BatchOutcome> {
    const records: ProducerRecord<K, V>[] = [];
    // Chunk index -> record index, or -1 for a chunk mapped to nothing; null while every chunk is sent.
    let positions: Int32Array | null = null;
    for (let i = 0; i < chunks.length; i++) {
      let record: ProducerRecord<K, V> | null | undefined;
      try {
        record = this.map(chunks[i]!);
      } catch (error) {
        throw mappingError(error);
      }
      if (record == null) {
        positions ??= Int32Array.from({ length: chunks.length }, (_, j) => (j < i ? j : -1));
        positions[i] = -1;
        continue;
      }
      if (positions !== null) positions[i] = records.length;
      records.push(record);
    }
    if (records.length === 0) return NOTHING;
    const loading = this.topics.ensure(records);
    if (loading !== undefined) await loading;
    await this.producer.waitForBuffer();
    const sending = this.producer.sendBatch(records);
    // The stream takes no more input until these records have their outcomes, so lingering cannot add records to
    // their batches: send them now instead of after `lingerMs` (which bounded a stream to one batch per linger).
    this.producer.flush().catch(() => undefined);
    const result = await sending;
    const at = positions;
    const index = at === null ? (i: number) => i : (i: number) => at[i]!;
    let firstError: KafkaError | undefined;
    if (result.failed > 0) {
      for (let i = 0; i < chunks.length && firstError === undefined; i++) {
        const r = index(i);
        if (r >= 0) firstError = result.error(r);
      }
    }
    return {
      acknowledged: result.succeeded,
      firstError,
      metadata: (i) => {
        const r = index(i);
        return r < 0 ? undefined : result.metadata(r);
      },
      error: (i) => {
        const r = index(i);
        return r < 0 ? undefined : result.error(r);
      },
    };
  }
}
