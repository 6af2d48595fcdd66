import { FakeConsumer, FakeProducer } from '@vltava/client-fakes';
import { InvalidArgumentError } from '@vltava/core';
import { asyncScheduler } from 'rxjs';
import { describe, expect, it } from 'vitest';
import { commitOffsets } from './commit-offsets.js';
import { fromConsumer } from './from-consumer.js';
import { fromPartitions } from './from-partitions.js';
import { sendTo } from './send-to.js';
import { sendTransactionally } from './send-transactionally.js';
import { toProducer } from './to-producer.js';

// Options as a JavaScript caller, or options built at run time, would pass them.
type Loose = Record<string, unknown>;
const loose = (options: Loose) => options as never;

describe('the options of every factory are checked when it is called', () => {
  /** Each factory, called with `options` as its options argument. */
  const factories: Record<string, (options: Loose) => unknown> = {
    fromConsumer: (options) => fromConsumer(new FakeConsumer(), loose(options)),
    fromPartitions: (options) => fromPartitions(new FakeConsumer(), loose(options)),
    sendTo: (options) => sendTo(new FakeProducer(), { topic: 't' }, loose(options)),
    toProducer: (options) => toProducer(new FakeProducer(), { topic: 't' }, loose(options)),
    commitOffsets: (options) => commitOffsets(loose(options)),
    sendTransactionally: (options) =>
      sendTransactionally(new FakeProducer(), new FakeConsumer(), () => null, loose(options)),
  };

  it.each<[string, Loose, string]>([
    ['fromConsumer', { topic: 't' }, "Unknown fromConsumer() option 'topic'; did you mean 'topics'?"],
    [
      'fromConsumer',
      { highWatermark: 10 },
      "Unknown fromConsumer() option 'highWatermark'; did you mean 'highWaterMark'?",
    ],
    [
      'fromConsumer',
      { drainTimeout: 10 },
      "Unknown fromConsumer() option 'drainTimeout'; did you mean 'drainTimeoutMs'?",
    ],
    [
      'fromConsumer',
      { topics: 5 },
      'Invalid fromConsumer() option: topics must be a topic name, an array of them, or a RegExp, got 5',
    ],
    [
      'fromConsumer',
      { highWaterMark: 0 },
      'Invalid fromConsumer() option: highWaterMark must be a positive integer, got 0',
    ],
    [
      'fromConsumer',
      { listener: { onPartitionsRevoke: () => undefined } },
      "Unknown fromConsumer() option 'listener.onPartitionsRevoke'; did you mean 'listener.onPartitionsRevoked'?",
    ],
    [
      'fromPartitions',
      { commitOnRevoked: false },
      "Unknown fromPartitions() option 'commitOnRevoked'; did you mean 'commitOnRevoke'?",
    ],
    ['sendTo', { maxInflight: 10 }, "Unknown sendTo() option 'maxInflight'; did you mean 'maxInFlight'?"],
    ['sendTo', { errors: 'ignore' }, "Invalid sendTo() option: errors must be one of 'error' or 'emit', got 'ignore'"],
    ['toProducer', { error: () => undefined }, "Unknown toProducer() option 'error'; did you mean 'onError'?"],
    ['commitOffsets', { maxBatchSize: 10 }, "Unknown commitOffsets() option 'maxBatchSize'; did you mean 'maxBatch'?"],
    [
      'commitOffsets',
      { scheduler: {} },
      'Invalid commitOffsets() option: scheduler must be a SchedulerLike (now() and schedule()), got an object',
    ],
    [
      'sendTransactionally',
      { maxInterval: 5 },
      "Unknown sendTransactionally() option 'maxInterval'; did you mean 'maxIntervalMs'?",
    ],
  ])('%s', (name, options, message) => {
    const call = () => factories[name]!(options);
    expect(call).toThrow(InvalidArgumentError);
    expect(call).toThrow(message);
  });

  it('accepts every known option', () => {
    expect(() =>
      fromConsumer(new FakeConsumer(), {
        topics: /orders-.*/,
        highWaterMark: 10,
        lowWaterMark: 5,
        highWaterMarkBytes: 1000,
        lowWaterMarkBytes: 0,
        listener: {},
        drainTimeoutMs: 1.5,
        commitOnRevoke: false,
        commitOnUnsubscribe: true,
        closeConsumer: false,
        onBackpressure: () => undefined,
        logger: console,
      }),
    ).not.toThrow();
    expect(() =>
      commitOffsets({ maxBatch: 1, maxIntervalMs: 0, message: () => undefined, scheduler: asyncScheduler }),
    ).not.toThrow();
    expect(() => sendTo(new FakeProducer(), { topic: 't' }, { maxInFlight: 1, errors: 'emit' })).not.toThrow();
    expect(() =>
      toProducer(new FakeProducer(), { topic: 't' }, { maxInFlight: 1, onError: () => 0, onComplete: () => 0 }),
    ).not.toThrow();
  });
});
