import { afterEach, describe, expect, it } from 'vitest';
import { ConfigError, InvalidArgumentError } from '../errors/client-errors.js';
import { silentLogger } from '../utils/logger.js';
import { Consumer } from './consumer.js';
import { resolveConsumerOptions } from './consumer-options.js';

const brokers = ['127.0.0.1:9092'];
const resolve = (options: object) => () =>
  resolveConsumerOptions({ brokers, logger: silentLogger, ...options } as Parameters<typeof resolveConsumerOptions>[0]);

describe('consumer options', () => {
  it.each([
    [{ groupID: 'g' }, "Unknown consumer option 'groupID'; did you mean 'groupId'?"],
    [{ group_id: 'g' }, "Unknown consumer option 'group_id': that is kafka-python's name; use groupId"],
    [{ 'group.id': 'g' }, "Unknown consumer option 'group.id': that is the Java name; use groupId"],
    [
      { 'max.poll.records': 10 },
      "Unknown consumer option 'max.poll.records': that is the Java name; use maxPollRecords",
    ],
    [{ sessionTimeout: 10_000 }, "'sessionTimeout'; did you mean 'sessionTimeoutMs'?"],
    [{ maxBytesPerPartition: 1 }, "'maxBytesPerPartition'; did you mean 'maxPartitionFetchBytes'?"],
    [{ fromBeginning: true }, "'fromBeginning'; did you mean 'autoOffsetReset'?"],
    [{ autoOffsetRest: 'earliest' }, "'autoOffsetRest'; did you mean 'autoOffsetReset'?"],
    [{ acks: 1 }, "Unknown consumer option 'acks'"],
    [
      { maxPollRecords: '10' },
      "Invalid consumer option: maxPollRecords must be a positive integer up to 2147483647, got '10'",
    ],
    [{ sessionTimeoutMs: 2 ** 31 }, 'sessionTimeoutMs must be a positive integer up to 2147483647'],
    [{ partitionAssignors: 'range' }, "partitionAssignors must be an array of built-in assignor names ('range'"],
    [{ checkCrcs: 1 }, 'checkCrcs must be true or false, got 1'],
    [{ keyDeserializer: 'string' }, "keyDeserializer must be a function (data, context) => key, got 'string'"],
    [{ brokers: 123 }, "Invalid consumer option: brokers must be 'host:port' strings"],
  ])('rejects %j with a ConfigError', (options, message) => {
    expect(resolve(options)).toThrow(ConfigError);
    expect(resolve(options)).toThrow(message);
  });

  it('new Consumer checks the broker addresses', () => {
    const create = () => new Consumer({ brokers: 'nohostport', logger: silentLogger });
    expect(create).toThrow(ConfigError);
    expect(create).toThrow("Invalid broker address 'nohostport' in brokers: the port is missing");
  });

  it('still reports the details its resolver checks', () => {
    expect(resolve({ partitionAssignors: ['fastest'] })).toThrow(/Unknown assignor 'fastest'/);
    expect(resolve({ groupInstanceId: 'i' })).toThrow(/groupInstanceId needs a groupId/);
  });
});

describe('consumer call options', () => {
  let consumer: Consumer | undefined;
  afterEach(async () => {
    await consumer?.close();
    consumer = undefined;
  });

  it('reject an unknown key or a bad value with InvalidArgumentError before doing anything', async () => {
    consumer = new Consumer({ brokers, groupId: 'g', logger: silentLogger });
    // Loosely typed: a JavaScript caller, or options built at run time.
    const c = consumer as unknown as Record<string, (...args: unknown[]) => unknown>;
    await expect(c.poll!({ timeout: 10 })).rejects.toThrow(InvalidArgumentError);
    await expect(c.poll!({ timeout: 10 })).rejects.toThrow(
      "Unknown consumer.poll() option 'timeout'; did you mean 'timeoutMs'?",
    );
    await expect(c.poll!({ maxRecords: 0 })).rejects.toThrow(
      'Invalid consumer.poll() option: maxRecords must be a positive integer',
    );
    await expect(c.commit!(undefined, { timeout: 1 })).rejects.toThrow("Unknown consumer.commit() option 'timeout'");
    await expect(c.committed!([], { timeoutMS: 1 })).rejects.toThrow(
      "Unknown consumer.committed() option 'timeoutMS'; did you mean 'timeoutMs'?",
    );
    await expect(c.position!({ topic: 't', partition: 0 }, { deadline: 1 })).rejects.toThrow(InvalidArgumentError);
    await expect(c.endOffsets!([], { timeout: 1 })).rejects.toThrow("Unknown consumer.endOffsets() option 'timeout'");
    await expect(c.beginningOffsets!([], { timeoutMs: 'x' })).rejects.toThrow(InvalidArgumentError);
    await expect(c.offsetsForTimes!([], { timeout: 1 })).rejects.toThrow(InvalidArgumentError);
    expect(() => c.records!({ mode: 'exactly-once' })).toThrow(
      "Invalid consumer.records() option: mode must be one of 'at-least-once', 'at-most-once' or 'manual'",
    );
    expect(() => c.batches!({ maxWait: 10 })).toThrow(
      "Unknown consumer.batches() option 'maxWait'; did you mean 'maxWaitMs'?",
    );
    expect(() => c.records!({ signal: {} })).toThrow('signal must be an AbortSignal, got an object');
    expect(() => c.subscribe!(['t'], { onPartitionAssigned: () => undefined })).toThrow(
      "Unknown consumer.subscribe() option 'listener.onPartitionAssigned'; did you mean 'listener.onPartitionsAssigned'?",
    );
    expect(() => c.subscribe!(['t'], { onPartitionsLost: true })).toThrow(
      'Invalid consumer.subscribe() option: listener.onPartitionsLost must be a function',
    );
    expect(() => c.subscribe!(['t'], 'listener')).toThrow(InvalidArgumentError);
    // A class instance may hold other members.
    class Listener {
      readonly log: string[] = [];
      onPartitionsAssigned(): void {}
    }
    expect(() => c.subscribe!(['t'], new Listener())).not.toThrow();
    await expect(c.close!({ autocommit: false })).rejects.toThrow(
      "Unknown consumer.close() option 'autocommit'; did you mean 'autoCommit'?",
    );
  });
});
