import { describe, expect, it } from 'vitest';
import { KafkaJSNonRetriableError } from '../errors/errors.js';
import { createLogger, logLevel } from '../logger/logger.js';
import { resolveRetry } from '../retry/retry.js';
import { checkKafkaConfig, clientRetry, type KafkaConfig, toClientOptions } from './kafka-config.js';
import { toSaslOptions } from './sasl.js';

const logger = createLogger({ level: logLevel.NOTHING });
const shared = (config: KafkaConfig) => ({ config, logger, retry: resolveRetry(config.retry) });

describe('KafkaConfig onto the engine', () => {
  it('maps timeouts, retry backoffs and the client id, with KafkaJS defaults', () => {
    const options = toClientOptions(shared({ brokers: ['b:9092'] }), resolveRetry(undefined), 'Producer');
    expect(options).toMatchObject({
      brokers: ['b:9092'],
      clientId: 'kafkajs',
      connectionTimeoutMs: 1000,
      requestTimeoutMs: 30_000,
      retryBackoffMs: 300,
      retryBackoffMaxMs: 30_000,
    });
    expect(options.sasl).toBeUndefined();
    expect(options.ssl).toBeUndefined();
  });

  it('adds the authentication timeout to the connection timeout when SASL is on, and passes TLS options', () => {
    const config: KafkaConfig = {
      brokers: () => ['b:9093'],
      clientId: 'app',
      ssl: { rejectUnauthorized: true },
      sasl: { mechanism: 'plain', username: 'u', password: 'p' },
      connectionTimeout: 3000,
      authenticationTimeout: 5000,
      requestTimeout: 1234,
    };
    const options = toClientOptions(shared(config), resolveRetry(undefined), 'Consumer');
    expect(options).toMatchObject({
      clientId: 'app',
      ssl: { rejectUnauthorized: true },
      sasl: { mechanism: 'PLAIN', username: 'u', password: 'p' },
      connectionTimeoutMs: 8000,
      requestTimeoutMs: 1234,
    });
    expect(typeof options.brokers).toBe('function');
  });

  it("a client's retry overrides the instance's", () => {
    const retry = clientRetry(shared({ brokers: ['b'], retry: { retries: 9, initialRetryTime: 10 } }), { retries: 2 });
    expect(retry).toMatchObject({ retries: 2, initialRetryTime: 10 });
  });

  it('refuses a configuration without brokers as KafkaJS does', () => {
    expect(() => checkKafkaConfig({} as KafkaConfig)).toThrow(KafkaJSNonRetriableError);
    expect(() => checkKafkaConfig({ brokers: [] })).toThrow('expected brokers array and got nothing');
    expect(() => checkKafkaConfig({ brokers: 'b:9092' as never })).toThrow(/must be an array or a function/);
  });
});

describe('SASL options', () => {
  it('names the built-in mechanisms as the engine does, and wraps the OAuth bearer provider', async () => {
    expect(toSaslOptions({ mechanism: 'scram-sha-256', username: 'u', password: 'p' }, logger)).toEqual({
      mechanism: 'SCRAM-SHA-256',
      username: 'u',
      password: 'p',
    });
    const oauth = toSaslOptions(
      { mechanism: 'oauthbearer', oauthBearerProvider: async () => ({ value: 't' }) },
      logger,
    );
    expect(oauth).toMatchObject({ mechanism: 'OAUTHBEARER' });
    expect(await (oauth as { tokenProvider: () => Promise<{ value: string }> }).tokenProvider()).toEqual({
      value: 't',
    });
  });

  it('runs a custom mechanism through the exchange, and the aws one with its length-prefixed fields', async () => {
    const sent: Buffer[] = [];
    const context = {
      host: 'h',
      port: 1,
      exchange: async (bytes: Buffer) => {
        sent.push(bytes);
        return Buffer.from('server-reply');
      },
    };
    let parsed: unknown;
    const custom = toSaslOptions(
      {
        mechanism: 'my-mech',
        authenticationProvider: ({ saslAuthenticate, host, port }) => ({
          authenticate: async () => {
            parsed = await saslAuthenticate({
              request: { encode: () => Buffer.from(`hello ${host}:${port}`) },
              response: { decode: (raw: Buffer) => raw, parse: (data: Buffer) => data.toString() },
            });
          },
        }),
      },
      logger,
    ) as { mechanism: string; authenticate: (c: typeof context) => Promise<void> };
    expect(custom.mechanism).toBe('MY-MECH');
    await custom.authenticate(context);
    expect(sent[0]!.toString()).toBe('hello h:1');
    expect(parsed).toBe('server-reply');

    const aws = toSaslOptions(
      { mechanism: 'aws', authorizationIdentity: 'id', accessKeyId: 'key', secretAccessKey: 'secret' },
      logger,
    ) as { mechanism: string; authenticate: (c: typeof context) => Promise<void> };
    await aws.authenticate(context);
    const body = 'id\u0000key\u0000secret\u0000';
    expect(sent[1]!.readInt32BE(0)).toBe(body.length);
    expect(sent[1]!.subarray(4).toString()).toBe(body);
  });

  it('refuses an unknown mechanism by name', () => {
    expect(() => toSaslOptions({ mechanism: 'gssapi' } as never, logger)).toThrow(/GSSAPI mechanism is not supported/);
  });
});
