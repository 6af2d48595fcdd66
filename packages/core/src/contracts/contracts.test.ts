import { describe, expectTypeOf, it } from 'vitest';
import type { Consumer } from '../consumer/consumer.js';
import type { ShareConsumer } from '../consumer/share/share-consumer.js';
import type { Producer } from '../producer/producer.js';
import type { ConsumerLike } from './consumer-like.js';
import type { ProducerLike, TransactionalProducerLike } from './producer-like.js';
import type { ShareConsumerLike } from './share-consumer-like.js';

// Compile-time checks (the typecheck step fails when a client stops fitting the contract the adapters build on).
describe('the adapter contracts', () => {
  it('Consumer is a ConsumerLike of its key and value types', () => {
    expectTypeOf<Consumer<string, number>>().toExtend<ConsumerLike<string, number>>();
    expectTypeOf<Consumer>().toExtend<ConsumerLike>();
    expectTypeOf<Consumer<string, number>>().not.toExtend<ConsumerLike<string, string>>();
  });

  it('Producer is a (transactional) ProducerLike of its key and value types', () => {
    expectTypeOf<Producer<string, Buffer>>().toExtend<ProducerLike<string, Buffer>>();
    expectTypeOf<Producer>().toExtend<TransactionalProducerLike>();
  });

  it('ShareConsumer is a ShareConsumerLike', () => {
    expectTypeOf<ShareConsumer<string, string>>().toExtend<ShareConsumerLike<string, string>>();
  });
});
