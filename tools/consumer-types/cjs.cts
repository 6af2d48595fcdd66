// A user's CommonJS module (`import` compiles to `require` here), compiled like esm.mts: the `require` entries of
// the packages must carry the same declarations.
import { Consumer, deserializers, KafkaError, Producer } from '@vltava/core';

import rx = require('@vltava/rx');
import streams = require('@vltava/streams');

const brokers = ['127.0.0.1:9092'];
const producer = new Producer<string, string>({ brokers });
const consumer = new Consumer({ brokers, groupId: 'billing', valueDeserializer: deserializers.string });

export async function copy(): Promise<void> {
  for await (const record of streams.createReadStream(consumer)) {
    const value: string | null = record.value;
    await producer.send({ topic: 'copies', value });
  }
}

export const subscription = rx
  .fromConsumer(consumer, { topics: ['orders'] })
  .pipe(rx.sendTo(producer, (message) => ({ topic: 'invoices', value: message.record.value })))
  .subscribe({ error: (error: unknown) => error instanceof KafkaError });
