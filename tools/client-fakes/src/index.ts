/**
 * Test doubles of the contracts `@vltava/rx` and `@vltava/streams` build on (see the README).
 *
 * @packageDocumentation
 */
export { FakeConsumer, type FakeRecord, fakeRecord } from './fake-consumer.js';
export { type FakeAck, FakeProducer, type FakeScheduler } from './fake-producer.js';
export { settle, until } from './wait.js';
