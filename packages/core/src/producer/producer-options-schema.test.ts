import { afterEach, describe, expect, it } from 'vitest';
import { ConfigError, InvalidArgumentError } from '../errors/client-errors.js';
import { silentLogger } from '../utils/logger.js';
import { Producer } from './producer.js';
import { resolveProducerOptions } from './producer-options.js';

const brokers = ['127.0.0.1:9092'];
const resolve = (options: object) => () =>
  resolveProducerOptions({ brokers, logger: silentLogger, ...options } as Parameters<typeof resolveProducerOptions>[0]);

describe('producer options', () => {
  it.each([
    // Unknown keys: the closest known option, Java and other clients' names.
    [{ ackss: 1 }, "Unknown producer option 'ackss'; did you mean 'acks'?"],
    [{ lingerms: 5 }, "Unknown producer option 'lingerms'; did you mean 'lingerMs'?"],
    [{ 'linger.ms': 5 }, "Unknown producer option 'linger.ms': that is the Java name; use lingerMs"],
    [{ 'enable.idempotence': true }, "'enable.idempotence': that is the Java name; use enableIdempotence"],
    [{ 'compression.type': 'lz4' }, "'compression.type': that is the Java name; use compression"],
    [{ batch_size: 1 }, "Unknown producer option 'batch_size': that is kafka-python's name; use batchSize"],
    [{ idempotent: true }, "Unknown producer option 'idempotent'; did you mean 'enableIdempotence'?"],
    [{ retry: { retries: 3 } }, "'retry'; did you mean 'retries', 'retryBackoffMs' or 'retryBackoffMaxMs'?"],
    [{ transactionTimeout: 1000 }, "'transactionTimeout'; did you mean 'transactionTimeoutMs'?"],
    [{ timeout: 1000 }, "'timeout'; did you mean 'requestTimeoutMs', 'connectionTimeoutMs', 'transactionTimeoutMs'"],
    [{ groupId: 'g' }, "Unknown producer option 'groupId'"],
    // Wrong types and ranges.
    [{ acks: '1' }, "Invalid producer option: acks must be 0, 1, -1 or 'all', got '1'"],
    [{ lingerMs: '5' }, "lingerMs must be a non-negative integer up to 2147483647, got '5'"],
    [{ maxBlockMs: 1e12 }, 'maxBlockMs must be a non-negative integer up to 2147483647, got 1000000000000'],
    [{ compression: 'brotli' }, "compression must be one of 'none', 'gzip', 'snappy', 'lz4' or 'zstd', got 'brotli'"],
    [{ compression: 'gzip', compressionLevel: 12 }, 'compressionLevel must be from -1 to 9 for gzip, got 12'],
    [{ compression: 'zstd', compressionLevel: 23 }, 'compressionLevel must be an integer from -131072 to 22, got 23'],
    [{ enableIdempotence: 'true' }, "enableIdempotence must be true or false, got 'true'"],
    [{ partitioner: 'murmur2' }, "partitioner must be 'default', 'round-robin' or a function"],
    [{ keySerializer: {} }, 'keySerializer must be a function (data, topic) => Buffer | string | null, got an object'],
    [{ retries: -1 }, 'retries must be a non-negative integer'],
    // Broker addresses.
    [{ brokers: 123 }, "Invalid producer option: brokers must be 'host:port' strings"],
    [{ brokers: 'nohostport' }, "Invalid broker address 'nohostport' in brokers: the port is missing"],
    [{ brokers: ['127.0.0.1:99999'] }, 'the port must be a number from 1 to 65535'],
  ])('rejects %j with a ConfigError', (options, message) => {
    expect(resolve(options)).toThrow(ConfigError);
    expect(resolve(options)).toThrow(message);
  });

  it('accepts what was valid before', () => {
    expect(resolve({ acks: -1, compression: 'gzip', compressionLevel: 0 })).not.toThrow();
    expect(resolve({ compression: 'lz4', compressionLevel: 12 })).not.toThrow();
    expect(resolve({ compression: 'zstd', compressionLevel: -5, compressionWorkers: 0 })).not.toThrow();
    expect(resolve({ partitioner: () => 0, maxBlockMs: 0, transactionalId: 'tx' })).not.toThrow();
    expect(resolve({ brokers: '[::1]:9092', clientId: 'c', sasl: undefined, ssl: false })).not.toThrow();
  });
});

describe('producer call options', () => {
  let producer: Producer | undefined;
  afterEach(async () => {
    await producer?.close();
    producer = undefined;
  });

  it('flush() and close() reject an unknown key with InvalidArgumentError', async () => {
    producer = new Producer({ brokers, logger: silentLogger });
    const p = producer as unknown as { flush(o: object): Promise<void>; close(o: object): Promise<void> };
    await expect(p.flush({ timeout: 10 })).rejects.toThrow(InvalidArgumentError);
    await expect(p.flush({ timeout: 10 })).rejects.toThrow(
      "Unknown producer.flush() option 'timeout'; did you mean 'timeoutMs'?",
    );
    await expect(p.flush({ timeoutMs: -1 })).rejects.toThrow('timeoutMs must be a non-negative integer');
    await expect(p.close({ timout: 10 })).rejects.toThrow("Unknown producer.close() option 'timout'");
    await expect(p.flush({ timeoutMs: 1000 })).resolves.toBeUndefined();
  });
});
