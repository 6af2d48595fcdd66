import { afterEach, describe, expect, it } from 'vitest';
import { ConfigError, InvalidArgumentError } from '../errors/client-errors.js';
import { silentLogger } from '../utils/logger.js';
import { Admin } from './admin.js';

const brokers = ['127.0.0.1:9092'];

describe('admin options', () => {
  it.each([
    [{ defaultApiTimeout: 1000 }, "Unknown admin option 'defaultApiTimeout'; did you mean 'defaultApiTimeoutMs'?"],
    [{ 'default.api.timeout.ms': 1000 }, "'default.api.timeout.ms': that is the Java name; use defaultApiTimeoutMs"],
    [{ timeout: 1000 }, "Unknown admin option 'timeout'; did you mean"],
    [{ defaultApiTimeoutMs: 0 }, 'Invalid admin option: defaultApiTimeoutMs must be a positive integer'],
    [{ brokers: 123 }, "Invalid admin option: brokers must be 'host:port' strings"],
    [{ brokers: 'nohostport' }, "Invalid broker address 'nohostport' in brokers: the port is missing"],
  ])('new Admin(%j) throws a ConfigError', (options, message) => {
    const create = () =>
      new Admin({ brokers, logger: silentLogger, ...options } as ConstructorParameters<typeof Admin>[0]);
    expect(create).toThrow(ConfigError);
    expect(create).toThrow(message);
  });
});

describe('admin call options', () => {
  let admin: Admin | undefined;
  afterEach(async () => {
    await admin?.close();
    admin = undefined;
  });

  it('reject an unknown key or a bad value with InvalidArgumentError, before connecting', async () => {
    admin = new Admin({ brokers, logger: silentLogger });
    const a = admin as unknown as Record<string, (...args: unknown[]) => Promise<unknown>>;
    await expect(a.listTopics!({ timeout: 100 })).rejects.toThrow(InvalidArgumentError);
    await expect(a.listTopics!({ timeout: 100 })).rejects.toThrow(
      "Unknown admin.listTopics() option 'timeout'; did you mean 'timeoutMs'?",
    );
    await expect(a.listTopics!({ internal: true })).rejects.toThrow(
      "Unknown admin.listTopics() option 'internal'; did you mean 'includeInternal'?",
    );
    await expect(a.createTopics!([{ topic: 't' }], { validate_only: true })).rejects.toThrow(
      "Unknown admin.createTopics() option 'validate_only': that is kafka-python's name; use validateOnly",
    );
    await expect(a.deleteGroups!(['g'], { timeoutMs: -5 })).rejects.toThrow(
      'Invalid admin.deleteGroups() option: timeoutMs must be a number of milliseconds > 0',
    );
    await expect(a.describeCluster!({ signal: 'stop' })).rejects.toThrow('signal must be an AbortSignal');
    await expect(a.resetGroupOffsets!('g', {})).rejects.toThrow(
      'Missing admin.resetGroupOffsets() option: to is required',
    );
    await expect(a.listOffsets!([], { isolation: 'read_committed' })).rejects.toThrow(
      "Unknown admin.listOffsets() option 'isolation'; did you mean 'isolationLevel'?",
    );
    await expect(a.listOffsets!([], { zzz: 1 })).rejects.toThrow(
      "Unknown admin.listOffsets() option 'zzz'; the admin.listOffsets() options are 'timeoutMs', 'signal' and " +
        "'isolationLevel'",
    );
    await expect(a.connect!({ timeoutMs: 1, retries: 3 })).rejects.toThrow("Unknown admin.connect() option 'retries'");
  });
});
