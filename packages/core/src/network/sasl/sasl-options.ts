import { ConfigError } from '../../errors/client-errors.js';
import { OAuthBearerMechanism, type OAuthBearerTokenProvider } from './oauthbearer.js';
import { PlainMechanism } from './plain.js';
import type { SaslMechanism } from './sasl-mechanism.js';
import { ScramMechanism } from './scram.js';

/**
 * SASL configuration. Java: `sasl.mechanism` plus `sasl.jaas.config`.
 *
 * ```ts
 * { mechanism: 'SCRAM-SHA-512', username: 'alice', password: process.env.KAFKA_PASSWORD! }
 * { mechanism: 'OAUTHBEARER', tokenProvider: async () => ({ value: await fetchToken() }) }
 * { mechanism: 'PLAIN', username, password }
 * myCustomMechanism // any object implementing SaslMechanism
 * ```
 */
export type SaslOptions =
  | {
      readonly mechanism: 'PLAIN' | 'SCRAM-SHA-256' | 'SCRAM-SHA-512';
      /** User name. */
      readonly username: string;
      /** Password. Never logged. */
      readonly password: string;
      /** SCRAM only: authenticate with a delegation token (token id as username, token HMAC as password). */
      readonly delegationToken?: boolean;
    }
  | { readonly mechanism: 'OAUTHBEARER'; readonly tokenProvider: OAuthBearerTokenProvider }
  | SaslMechanism;

/** Turns {@link SaslOptions} into a mechanism instance, validating the options. */
export function createSaslMechanism(options: SaslOptions): SaslMechanism {
  if ('authenticate' in options && typeof options.authenticate === 'function') return options;
  switch (options.mechanism) {
    case 'PLAIN':
      requireCredentials(options);
      return new PlainMechanism(options as { username: string; password: string });
    case 'SCRAM-SHA-256':
    case 'SCRAM-SHA-512':
      requireCredentials(options);
      return new ScramMechanism(
        options.mechanism === 'SCRAM-SHA-256' ? 'sha256' : 'sha512',
        options as { username: string; password: string },
      );
    case 'OAUTHBEARER': {
      const provider = (options as { tokenProvider?: unknown }).tokenProvider;
      if (typeof provider !== 'function') {
        throw new ConfigError('sasl.tokenProvider must be a function returning { value: token } for OAUTHBEARER');
      }
      return new OAuthBearerMechanism(provider as OAuthBearerTokenProvider);
    }
    default:
      throw new ConfigError(
        `Unknown SASL mechanism '${String(options.mechanism)}': use PLAIN, SCRAM-SHA-256, SCRAM-SHA-512, ` +
          'OAUTHBEARER, or pass an object implementing SaslMechanism',
      );
  }
}

function requireCredentials(options: { mechanism: string; username?: unknown; password?: unknown }): void {
  if (typeof options.username !== 'string' || options.username === '') {
    throw new ConfigError(`sasl.username must be a non-empty string for ${options.mechanism}`);
  }
  if (typeof options.password !== 'string') {
    throw new ConfigError(`sasl.password must be a string for ${options.mechanism}`);
  }
}
