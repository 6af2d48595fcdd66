import type { Consumer, ConsumerRecord, Producer, ShareConsumer, ShareMessage } from '@vltava/core';
import { describe, expectTypeOf, it } from 'vitest';
import { createCommitStream } from './commit-stream.js';
import { pipeline } from './pipeline.js';
import { createReadStream } from './read-stream.js';
import { createSendStream } from './send-stream.js';
import { createShareReadStream } from './share-read-stream.js';
import { createWebCommitStream } from './web-commit-stream.js';
import { createWebReadStream } from './web-read-stream.js';
import { createWebSendStream } from './web-send-stream.js';
import { createWriteStream } from './write-stream.js';

interface Order {
  readonly id: string;
  readonly total: number;
}

/** What `new Consumer({ keyDeserializer: deserializers.string, valueDeserializer: deserializers.json<Order>() })` is. */
type OrderConsumer = Consumer<string | null, Order | null>;
/** What `new Producer({ keySerializer, valueSerializer: jsonSerializer<Order>() })` is. */
type OrderProducer = Producer<string, Order>;

// Compile-time checks: each `expectTypeOf` fails the typecheck (`npm test`) when a type does not flow, `unknown`
// included. The functions are type-checked, never run: nothing here makes a client.
describe('types flow through the streams factories and mappers', () => {
  it('from the consumer through the read stream, the send stream mapper and its results, to the committer', () => {
    const typeOnly = (consumer: OrderConsumer, producer: OrderProducer) => {
      const read = createReadStream(consumer);
      const first = async () => {
        for await (const record of read)
          expectTypeOf(record).toEqualTypeOf<ConsumerRecord<string | null, Order | null>>();
      };
      expectTypeOf(first).toBeFunction();
      return pipeline(
        read,
        createSendStream(producer, (record) => {
          expectTypeOf(record).toEqualTypeOf<ConsumerRecord<string | null, Order | null>>();
          return { topic: 'out', key: record.key ?? undefined, value: record.value ?? { id: '', total: 0 } };
        }),
        createCommitStream(consumer),
      );
    };
    expectTypeOf(typeOnly).toBeFunction();
  });

  it('through a typed transform function between the read stream and the send stream', () => {
    async function* totals(records: AsyncIterable<ConsumerRecord<string | null, Order | null>>) {
      for await (const record of records) yield { ...record, value: record.value?.total ?? 0 };
    }
    const typeOnly = (consumer: OrderConsumer, producer: OrderProducer) =>
      pipeline(
        createReadStream(consumer),
        totals,
        createSendStream(producer, (record) => {
          expectTypeOf(record.value).toEqualTypeOf<number>();
          expectTypeOf(record.key).toEqualTypeOf<string | null>();
          return { topic: 'out', value: { id: String(record.offset), total: record.value } };
        }),
        async (results) => {
          for await (const result of results) {
            expectTypeOf(result.ok).toEqualTypeOf<true>();
            expectTypeOf(result.source.value).toEqualTypeOf<number>();
            expectTypeOf(result.source.key).toEqualTypeOf<string | null>();
          }
        },
      );
    expectTypeOf(typeOnly).toBeFunction();
  });

  it('{ topic } takes chunks of the producer value type; a mapper of the producer key and value types', () => {
    const typeOnly = (producer: OrderProducer) => {
      const write = createWriteStream(producer, { topic: 'out' });
      expectTypeOf<Parameters<typeof write._write>[0]>().toEqualTypeOf<Order>();
      // @ts-expect-error a mapper must return records of the producer's types
      createSendStream(producer, (n: number) => ({ topic: 'out', value: n }));
    };
    expectTypeOf(typeOnly).toBeFunction();
  });

  it('through Web Streams', () => {
    const typeOnly = (consumer: OrderConsumer, producer: OrderProducer) =>
      createWebReadStream(consumer)
        .pipeThrough(
          createWebSendStream(producer, (record) => {
            expectTypeOf(record).toEqualTypeOf<ConsumerRecord<string | null, Order | null>>();
            return { topic: 'out', value: record.value ?? { id: '', total: 0 } };
          }),
        )
        .pipeTo(createWebCommitStream(consumer));
    expectTypeOf(typeOnly).toBeFunction();
  });

  it('share groups: ShareMessages of the share consumer types', () => {
    const typeOnly = async (share: ShareConsumer<Buffer | null, Order | null>) => {
      for await (const message of createShareReadStream(share)) {
        expectTypeOf(message).toEqualTypeOf<ShareMessage<Buffer | null, Order | null>>();
      }
    };
    expectTypeOf(typeOnly).toBeFunction();
  });
});
