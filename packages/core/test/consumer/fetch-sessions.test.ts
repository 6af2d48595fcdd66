import { uniqueName } from '@vltava/kafka-harness/vitest';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { Consumer, type LogFields, type Logger } from '../../src/index.js';
import { Fetch } from '../../src/protocol/messages/generated/fetch.js';
import { pollUntil, waitFor } from './support/consumer-helpers.js';
import { TestProducer } from './support/test-producer.js';

const brokers = inject('kafkaBootstrap');
const FETCH_SESSION_ID_NOT_FOUND = 70;
const INVALID_FETCH_SESSION_EPOCH = 71;

/** The consumer's incremental fetch sessions (KIP-227) as the broker sees them. */
describe('fetch sessions', () => {
  const producer = new TestProducer(brokers);
  afterAll(() => producer.close());

  /**
   * Asks a broker about a session with an epoch it cannot be expecting, which leaves the session as it is: the
   * answer is INVALID_FETCH_SESSION_EPOCH while the session lives, FETCH_SESSION_ID_NOT_FOUND once it is gone.
   */
  async function probe(broker: number, sessionId: number): Promise<number> {
    const connection = await producer.cluster.connection(broker);
    const response = await connection.send(Fetch, {
      replicaId: -1,
      maxWaitMs: 0,
      minBytes: 0,
      maxBytes: 1,
      isolationLevel: 0,
      sessionId,
      sessionEpoch: 0x7fff_fff0,
      topics: [],
      forgottenTopicsData: [],
      rackId: '',
    });
    return response.errorCode;
  }

  /** A logger that keeps the sessions the consumer reports as opened. */
  function sessionRecorder(): { logger: Logger; opened: Array<{ broker: number; sessionId: number }> } {
    const opened: Array<{ broker: number; sessionId: number }> = [];
    const ignore = () => {};
    return {
      opened,
      logger: {
        debug(message: string, fields?: LogFields) {
          if (message === 'fetch session opened') {
            opened.push({ broker: fields?.broker as number, sessionId: fields?.sessionId as number });
          }
        },
        info: ignore,
        warn: ignore,
        error: ignore,
      },
    };
  }

  it('close() ends the sessions on the brokers instead of leaving them to eviction', async () => {
    const topic = uniqueName('sessions');
    await producer.createTopic(topic, 2);
    await producer.sendMany(topic, 0, 20, 'a');
    await producer.sendMany(topic, 1, 20, 'b');
    const { logger, opened } = sessionRecorder();
    const consumer = new Consumer({ brokers, autoOffsetReset: 'earliest', logger });
    consumer.assign([
      { topic, partition: 0 },
      { topic, partition: 1 },
    ]);
    expect(await pollUntil(consumer, 40)).toHaveLength(40);
    await waitFor(() => opened.length > 0, 'a fetch session granted by the broker');
    const { broker, sessionId } = opened.at(-1)!;
    expect(sessionId).toBeGreaterThan(0);
    expect(await probe(broker, sessionId)).toBe(INVALID_FETCH_SESSION_EPOCH);

    await consumer.close();
    expect(await probe(broker, sessionId)).toBe(FETCH_SESSION_ID_NOT_FOUND);
  });

  it('a consumer in a group closes its sessions too, with the leave', async () => {
    const topic = uniqueName('sessions-group');
    await producer.createTopic(topic, 1);
    await producer.sendMany(topic, 0, 10, 'g');
    const { logger, opened } = sessionRecorder();
    const consumer = new Consumer({ brokers, groupId: uniqueName('g'), autoOffsetReset: 'earliest', logger });
    consumer.subscribe([topic]);
    expect(await pollUntil(consumer, 10)).toHaveLength(10);
    await waitFor(() => opened.length > 0, 'a fetch session granted by the broker');
    const { broker, sessionId } = opened.at(-1)!;
    expect(await probe(broker, sessionId)).toBe(INVALID_FETCH_SESSION_EPOCH);

    await consumer.close();
    expect(await probe(broker, sessionId)).toBe(FETCH_SESSION_ID_NOT_FOUND);
  });
});
