/**
 * A broker that acknowledges every Produce at once, for instruction counts of the producer's send path
 * (`instructions.ts`): one topic `bench` of 6 partitions led by itself, an idempotent producer id, and base offsets
 * that count the records of each partition, with no Kafka process beside the client.
 *
 *   npx tsx bench/producer/fake-produce-broker.ts
 *
 * Prints `listening 127.0.0.1:<port>` and serves until killed.
 */
import { FakeBroker } from '../../packages/core/test/support/fake-broker.js';
import { produceAnswers } from './produce-answers.js';

let port = 0;
const broker = await FakeBroker.start(produceAnswers('bench', 6, () => port));
port = broker.port;
console.log(`listening ${broker.address}`);
