import type { ProducerLike } from '@vltava/core';

/**
 * The topics a stream has written to. Before the first records for a topic go to the producer, its metadata is
 * loaded (`partitionsFor`): records that wait for a topic's metadata wait outside the producer's buffer, and the
 * producer refuses more of them than `bufferMemory` holds (`BufferExhaustedError`), whereas records that wait for
 * buffer space are waited for. So a first batch larger than the buffer, to a topic the producer has not seen yet,
 * would fail without this.
 */
export class KnownTopics {
  private readonly producer: ProducerLike<unknown, unknown>;
  private readonly known = new Set<string>();
  private lastTopic: string | undefined;

  constructor(producer: ProducerLike<unknown, unknown>) {
    this.producer = producer;
  }

  /** Resolves once every topic of `records` has metadata; `undefined` (no wait) when all are known. */
  ensure(records: Iterable<{ readonly topic: string }>): Promise<void> | undefined {
    let missing: Set<string> | undefined;
    for (const record of records) {
      const topic = record.topic;
      if (topic === this.lastTopic) continue;
      if (this.known.has(topic)) {
        this.lastTopic = topic;
        continue;
      }
      missing ??= new Set();
      missing.add(topic);
    }
    if (missing === undefined) return undefined;
    return Promise.all([...missing].map((topic) => this.producer.partitionsFor(topic))).then(() => {
      for (const topic of missing) this.known.add(topic);
    });
  }
}
