import { FakeConsumer, FakeProducer } from '@vltava/client-fakes';
import { InvalidArgumentError } from '@vltava/core';
import { describe, expect, it } from 'vitest';
import { createCommitStream } from './commit-stream.js';
import { createReadStream } from './read-stream.js';
import { createSendStream } from './send-stream.js';
import { defaultSourceOf } from './source-coordinates.js';
import { createWebCommitStream } from './web-commit-stream.js';
import { createWebReadStream } from './web-read-stream.js';
import { createWebSendStream } from './web-send-stream.js';
import { createWebWriteStream } from './web-write-stream.js';
import { createWriteStream } from './write-stream.js';

// Options as a JavaScript caller, or options built at run time, would pass them.
const loose = (options: Record<string, unknown>) => options as never;
const target = { topic: 'out' };

describe('the options of every stream factory are checked when it is called', () => {
  it.each([
    [
      () => createReadStream(new FakeConsumer(), loose({ highWatermark: 10 })),
      "Unknown createReadStream() option 'highWatermark'; did you mean 'highWaterMark'?",
    ],
    [
      () => createReadStream(new FakeConsumer(), loose({ signal: new AbortController().signal })),
      "Unknown createReadStream() option 'signal'; did you mean 'stopSignal'?",
    ],
    [
      () => createReadStream(new FakeConsumer(), loose({ stopAfterRecords: 0 })),
      'Invalid createReadStream() option: stopAfterRecords must be a positive integer (or Infinity: no limit), got 0',
    ],
    [
      () => createWebReadStream(new FakeConsumer(), loose({ closeConsumers: false })),
      "Unknown createWebReadStream() option 'closeConsumers'; did you mean 'closeConsumer'?",
    ],
    [
      () => createWriteStream(new FakeProducer(), target, loose({ closeProducer: 'yes' })),
      "Invalid createWriteStream() option: closeProducer must be true or false, got 'yes'",
    ],
    [
      () => createWebWriteStream(new FakeProducer(), target, loose({ objectMode: true })),
      "Unknown createWebWriteStream() option 'objectMode'; the createWebWriteStream() options are 'highWaterMark', " +
        "'maxInFlight' and 'closeProducer'",
    ],
    [
      () => createSendStream(new FakeProducer(), target, loose({ readableHighWatermark: 1 })),
      "Unknown createSendStream() option 'readableHighWatermark'; did you mean 'readableHighWaterMark'?",
    ],
    [
      () => createWebSendStream(new FakeProducer(), target, loose({ highWaterMark: -1 })),
      'Invalid createWebSendStream() option: highWaterMark must be a non-negative integer, got -1',
    ],
    [
      () => createCommitStream(new FakeConsumer(), loose({ commitInterval: 100 })),
      "Unknown createCommitStream() option 'commitInterval'; did you mean 'commitIntervalMs'?",
    ],
    [
      () => createWebCommitStream(new FakeConsumer(), loose({ sourceOf: 'offset' })),
      "Invalid createWebCommitStream() option: sourceOf must be a function (chunk) => SourceCoordinates, got 'offset'",
    ],
  ])('%#: %s', (create, message) => {
    expect(create).toThrow(InvalidArgumentError);
    expect(create).toThrow(message);
  });

  it('accepts every known option', () => {
    const stop = new AbortController();
    const read = createReadStream(new FakeConsumer(), {
      highWaterMark: 0,
      stopAfterRecords: Number.POSITIVE_INFINITY,
      stopSignal: stop.signal,
      closeConsumer: false,
    });
    read.destroy();
    const write = createSendStream(new FakeProducer(), target, {
      highWaterMark: 1,
      closeProducer: false,
      readableHighWaterMark: 1,
    });
    write.destroy();
    const commit = createCommitStream(new FakeConsumer(), {
      highWaterMark: 1,
      commitIntervalMs: 0,
      sourceOf: defaultSourceOf,
    });
    commit.destroy();
  });
});
