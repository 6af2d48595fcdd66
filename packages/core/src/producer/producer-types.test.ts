import { describe, expect, expectTypeOf, it } from 'vitest';
import { Producer, type ProducerRecord } from './producer.js';
import type { RecordMetadata } from './record-metadata.js';
import { jsonSerializer, stringSerializer } from './serializers.js';

interface OrderEvent {
  readonly id: string;
  readonly total: number;
}

describe('Producer types', () => {
  it('takes key and value types from the serializers (checked by the compiler)', async () => {
    const producer = new Producer<string, OrderEvent>({
      brokers: ['127.0.0.1:1'],
      logLevel: 'silent',
      keySerializer: stringSerializer,
      valueSerializer: jsonSerializer<OrderEvent>(),
    });
    expectTypeOf(producer.send).parameter(0).toEqualTypeOf<ProducerRecord<string, OrderEvent>>();
    // Never called: the compiler checks the types, nothing is sent.
    const right = () => producer.send({ topic: 't', key: 'k', value: { id: 'a', total: 1 } });
    expectTypeOf(right).returns.toEqualTypeOf<Promise<RecordMetadata>>();
    // @ts-expect-error: the value must be an OrderEvent
    const wrong = () => producer.send({ topic: 't', key: 'k', value: 'not an event' });
    // @ts-expect-error: the key must be a string
    const wrongKey = () => producer.send({ topic: 't', key: 42, value: { id: 'a', total: 1 } });
    expect(typeof wrong).toBe('function');
    expect(typeof wrongKey).toBe('function');
    await producer.close();
  });

  it('defaults to strings or bytes for keys and values', async () => {
    const producer = new Producer({ brokers: ['127.0.0.1:1'], logLevel: 'silent' });
    expectTypeOf<Parameters<typeof producer.send>[0]['value']>().toEqualTypeOf<
      string | Uint8Array | null | undefined
    >();
    await producer.close();
  });
});
