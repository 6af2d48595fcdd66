import type { SaslExchangeContext, SaslMechanism, SaslOptions } from '../core.js';
import { KafkaJSNonRetriableError, KafkaJSSASLAuthenticationError } from '../errors/errors.js';
import type { Logger } from '../logger/logger.js';

/** What `oauthBearerProvider` returns: the token. */
export interface OauthbearerProviderResponse {
  value: string;
}

/** The options of each built-in SASL mechanism, by its name. */
export type SASLMechanismOptionsMap = {
  plain: { username: string; password: string };
  'scram-sha-256': { username: string; password: string };
  'scram-sha-512': { username: string; password: string };
  aws: { authorizationIdentity: string; accessKeyId: string; secretAccessKey: string; sessionToken?: string };
  oauthbearer: { oauthBearerProvider: () => Promise<OauthbearerProviderResponse> };
};

/** The name of a built-in mechanism, in KafkaJS's lower case. */
export type SASLMechanism = keyof SASLMechanismOptionsMap;
/** The options of the built-in mechanism `T`, with its name. */
export type SASLMechanismOptions<T> = T extends SASLMechanism ? { mechanism: T } & SASLMechanismOptionsMap[T] : never;
/** Options of a built-in SASL mechanism. */
export type SASLOptions = SASLMechanismOptions<SASLMechanism>;

/** The request half of one SASL exchange a custom mechanism makes. */
export type SaslAuthenticationRequest = { encode: () => Buffer | Promise<Buffer> };
/** The response half: how to decode and parse the broker's bytes. */
export type SaslAuthenticationResponse<ParseResult> = {
  decode: (rawResponse: Buffer) => Buffer | Promise<Buffer>;
  parse: (data: Buffer) => ParseResult;
};

/** What a custom mechanism's authenticator does. */
export type Authenticator = { authenticate: () => Promise<void> };

/** One round trip of a custom mechanism: the bytes to send and how to read the answer. */
export type SaslAuthenticateArgs<ParseResult> = {
  request: SaslAuthenticationRequest;
  response?: SaslAuthenticationResponse<ParseResult>;
};

/** What KafkaJS hands a custom mechanism's `authenticationProvider` for each connection. */
export type AuthenticationProviderArgs = {
  host: string;
  port: number;
  logger: Logger;
  // biome-ignore lint/suspicious/noConfusingVoidType: KafkaJS's signature, kept for type compatibility.
  saslAuthenticate: <ParseResult>(args: SaslAuthenticateArgs<ParseResult>) => Promise<ParseResult | void>;
};

/** A custom SASL mechanism, as KafkaJS 2 takes it. */
export type Mechanism = {
  mechanism: string;
  authenticationProvider: (args: AuthenticationProviderArgs) => Authenticator;
};

/**
 * Turns KafkaJS's SASL options into the engine's: the built-in mechanisms by name (`plain`, `scram-sha-256`,
 * `scram-sha-512`, `oauthbearer`, `aws`), a custom `{ mechanism, authenticationProvider }` as a mechanism whose
 * `saslAuthenticate` calls go out as SaslAuthenticate requests, exactly as in KafkaJS.
 */
export function toSaslOptions(sasl: SASLOptions | Mechanism, logger: Logger): SaslOptions {
  if (typeof (sasl as Mechanism).authenticationProvider === 'function') {
    return customMechanism(sasl as Mechanism, logger);
  }
  const options = sasl as SASLOptions;
  const name = String(options.mechanism ?? '').toLowerCase();
  switch (name) {
    case 'plain':
    case 'scram-sha-256':
    case 'scram-sha-512': {
      const { username, password } = options as { username: string; password: string };
      return {
        mechanism: name.toUpperCase() as 'PLAIN' | 'SCRAM-SHA-256' | 'SCRAM-SHA-512',
        username,
        password,
      };
    }
    case 'oauthbearer': {
      const provider = (options as { oauthBearerProvider?: unknown }).oauthBearerProvider;
      if (typeof provider !== 'function') {
        throw new KafkaJSNonRetriableError('SASL OAUTHBEARER: Missing OAuth bearer token provider');
      }
      return { mechanism: 'OAUTHBEARER', tokenProvider: async () => provider() };
    }
    case 'aws':
      return customMechanism(awsMechanism(options as SASLMechanismOptions<'aws'>), logger);
    default:
      throw new KafkaJSNonRetriableError(
        `SASL ${String(options.mechanism).toUpperCase()} mechanism is not supported by the client; use plain, ` +
          'scram-sha-256, scram-sha-512, oauthbearer, aws, or a custom { mechanism, authenticationProvider }',
      );
  }
}

/** Runs a KafkaJS custom mechanism over the engine's SaslAuthenticate exchange. */
function customMechanism(custom: Mechanism, logger: Logger): SaslMechanism {
  return {
    mechanism: custom.mechanism.toUpperCase(),
    async authenticate(context: SaslExchangeContext): Promise<void> {
      const saslAuthenticate = async <ParseResult>({
        request,
        response,
      }: SaslAuthenticateArgs<ParseResult>): Promise<ParseResult | undefined> => {
        const reply = await context.exchange(await request.encode());
        if (response === undefined) return undefined;
        return response.parse(await response.decode(reply));
      };
      await custom
        .authenticationProvider({
          host: context.host,
          port: context.port,
          logger: logger.namespace(`SaslAuthenticator-${custom.mechanism.toUpperCase()}`),
          saslAuthenticate,
        })
        .authenticate();
    },
  };
}

/** KafkaJS's `aws` mechanism: identity, key id, secret and session token, NUL-separated, length-prefixed. */
function awsMechanism(options: SASLMechanismOptions<'aws'>): Mechanism {
  return {
    mechanism: 'AWS',
    authenticationProvider: ({ saslAuthenticate }) => ({
      authenticate: async () => {
        for (const field of ['authorizationIdentity', 'accessKeyId', 'secretAccessKey'] as const) {
          if (!options[field]) throw new KafkaJSSASLAuthenticationError(`SASL AWS-IAM: Missing ${field}`);
        }
        const text = [
          options.authorizationIdentity,
          options.accessKeyId,
          options.secretAccessKey,
          options.sessionToken ?? '',
        ].join('\u0000');
        const body = Buffer.from(text);
        const bytes = Buffer.allocUnsafe(4 + body.length);
        bytes.writeInt32BE(body.length, 0);
        body.copy(bytes, 4);
        await saslAuthenticate({ request: { encode: () => bytes } });
      },
    }),
  };
}
