import { describe, expect, it } from 'vitest';
import { checkOptions } from '../config/check-options.js';
import { ConfigError } from '../errors/client-errors.js';
import { resolveClientOptions } from './client-options.js';
import { CLIENT_OPTIONS_SCHEMA } from './client-options-schema.js';

const check = (options: unknown) => () => checkOptions(options, CLIENT_OPTIONS_SCHEMA, 'client', 'config');
const brokers = ['127.0.0.1:9092'];

describe('CLIENT_OPTIONS_SCHEMA', () => {
  it('accepts every way of giving brokers, TLS and SASL', () => {
    for (const options of [
      { brokers },
      { brokers: '127.0.0.1:9092,[::1]:9093' },
      { brokers: () => brokers },
      { brokers: async () => '127.0.0.1:9092' },
      { brokers, ssl: true, sasl: { mechanism: 'SCRAM-SHA-512', username: 'u', password: 'p' } },
      {
        brokers,
        ssl: { rejectUnauthorized: false, ca: 'x' },
        sasl: { mechanism: 'OAUTHBEARER', tokenProvider: () => ({}) },
      },
      { brokers, sasl: { mechanism: 'PLAIN', username: 'u', password: '', delegationToken: false } },
      { brokers, sasl: { mechanism: 'AWS_MSK_IAM', authenticate: async () => undefined, region: 'x' } },
      { brokers, logger: console, logLevel: 'silent', clientRack: '', socketFactory: () => null },
    ]) {
      expect(check(options), JSON.stringify(options)).not.toThrow();
    }
  });

  it.each([
    [{}, /Missing client option: brokers is required \('host:port' strings/],
    [{ brokers: 123 }, /brokers must be 'host:port' strings .*, got 123/],
    [{ brokers: [9092] }, /brokers must be .*, got an array/],
    [{ brokers, bootstrapServers: brokers }, /Unknown client option 'bootstrapServers'; did you mean 'brokers'\?/],
    [{ brokers, 'bootstrap.servers': 'x' }, /'bootstrap.servers': that is the Java name; use brokers/],
    [{ brokers, clientID: 'x' }, /Unknown client option 'clientID'; did you mean 'clientId'\?/],
    [{ brokers, requestTimeout: 1 }, /did you mean 'requestTimeoutMs'\?/],
    [{ brokers, timeout: 1 }, /'timeout'; did you mean 'requestTimeoutMs' or 'connectionTimeoutMs'\?/],
    [{ brokers, requestTimeoutMs: 0 }, /requestTimeoutMs must be a positive integer up to 2147483647, got 0/],
    [{ brokers, retryBackoffMs: 2 ** 31 }, /retryBackoffMs must be a non-negative integer up to 2147483647/],
    [{ brokers, ssl: 'yes' }, /ssl must be true or false or Node.js's tls.connect options/],
    [{ brokers, logLevel: 'verbose' }, /logLevel must be one of 'debug', 'info', 'warn', 'error' or 'silent'/],
    [{ brokers, logger: { warn() {} } }, /logger must be a Logger/],
    [{ brokers, sasl: 'PLAIN' }, /sasl must be SASL options/],
    [
      { brokers, sasl: { mechanism: 'PLAIN', user: 'u', password: 'p' } },
      /'sasl.user'; did you mean 'sasl.username'\?/,
    ],
    [{ brokers, sasl: { mechanism: 'PLAIN', username: 'u' } }, /sasl.password is required/],
    [{ brokers, sasl: { mechanism: 'GSSAPI' } }, /sasl.mechanism must be one of 'PLAIN', 'SCRAM-SHA-256'/],
    [{ brokers, sasl: { mechansim: 'PLAIN' } }, /'sasl.mechansim'; did you mean 'sasl.mechanism'\?/],
    [{ brokers, sasl: { mechanism: 'OAUTHBEARER', token: 'x' } }, /Unknown client option 'sasl.token'/],
  ])('rejects %j', (options, message) => {
    expect(check(options)).toThrow(ConfigError);
    expect(check(options)).toThrow(message);
  });

  it('never shows the password', () => {
    expect(check({ brokers, sasl: { mechanism: 'PLAIN', username: 'u', password: 918273 } })).toThrow(
      'Invalid client option: sasl.password must be a string, got a number',
    );
  });
});

describe('brokers', () => {
  it('checks the addresses when the client is created', () => {
    expect(() => resolveClientOptions({ brokers: 'nohostport' })).toThrow(ConfigError);
    expect(() => resolveClientOptions({ brokers: 'nohostport' })).toThrow(
      /'nohostport' in brokers: the port is missing/,
    );
    expect(() => resolveClientOptions({ brokers: ['ok:1', 'bad:0'] })).toThrow(/'bad:0'/);
    expect(() => resolveClientOptions({ brokers: ' , ' })).toThrow(/brokers is empty/);
  });

  it('accepts IPv6 and comma-separated lists', async () => {
    const resolved = resolveClientOptions({ brokers: '[::1]:9092, 127.0.0.1:9093' });
    expect(await resolved.bootstrap()).toEqual([
      { host: '::1', port: 9092 },
      { host: '127.0.0.1', port: 9093 },
    ]);
  });

  it('checks what a brokers function returns, with the same errors, when it resolves', async () => {
    const returning = (value: unknown) => resolveClientOptions({ brokers: async () => value as string[] }).bootstrap();
    await expect(returning(['127.0.0.1:9092'])).resolves.toEqual([{ host: '127.0.0.1', port: 9092 }]);
    await expect(returning('nohostport')).rejects.toThrow(ConfigError);
    await expect(returning('nohostport')).rejects.toThrow(/'nohostport' in brokers: the port is missing/);
    await expect(returning(123)).rejects.toThrow(/The brokers function must return 'host:port' strings .*, got 123/);
    await expect(returning(undefined)).rejects.toThrow(ConfigError);
    await expect(returning([])).rejects.toThrow(/The brokers function returned no address/);
  });
});
