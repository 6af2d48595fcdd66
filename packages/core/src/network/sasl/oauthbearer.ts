import { AuthenticationError } from '../../errors/client-errors.js';
import type { SaslExchangeContext, SaslMechanism } from './sasl-mechanism.js';

/** A bearer token and the SASL extensions to send with it (KIP-342). */
export interface OAuthBearerToken {
  /** The compact-serialized token (usually a JWT). Never logged. */
  readonly value: string;
  /** Extensions sent as `key=value` pairs (for example a logical cluster id some providers require). */
  readonly extensions?: Readonly<Record<string, string>>;
}

/**
 * Returns a currently valid token. Called for every authentication and re-authentication, so it should cache the
 * token and refresh it before it expires.
 */
export type OAuthBearerTokenProvider = () => OAuthBearerToken | Promise<OAuthBearerToken>;

const SEPARATOR = '\u0001';

/**
 * SASL/OAUTHBEARER (RFC 7628, KIP-255): the client sends `n,,^Aauth=Bearer <token>^A[ext=value^A]^A`. On failure the
 * broker answers with a JSON error; the client acknowledges it with a single `^A`, after which the broker fails
 * the authentication, and the JSON becomes the error message.
 */
export class OAuthBearerMechanism implements SaslMechanism {
  readonly mechanism = 'OAUTHBEARER';
  readonly #provider: OAuthBearerTokenProvider;

  constructor(provider: OAuthBearerTokenProvider) {
    this.#provider = provider;
  }

  async authenticate(context: SaslExchangeContext): Promise<void> {
    let token: OAuthBearerToken;
    try {
      token = await this.#provider();
    } catch (cause) {
      throw new AuthenticationError('The OAUTHBEARER token provider failed; no token to authenticate with', {
        broker: `${context.host}:${context.port}`,
        cause,
      });
    }
    let message = `n,,${SEPARATOR}auth=Bearer ${token.value}${SEPARATOR}`;
    for (const [key, value] of Object.entries(token.extensions ?? {})) {
      if (key === 'auth' || !/^[A-Za-z]+$/.test(key)) {
        throw new AuthenticationError(`Invalid OAUTHBEARER extension name '${key}': letters only, and not 'auth'`);
      }
      message += `${key}=${value}${SEPARATOR}`;
    }
    message += SEPARATOR;
    const reply = await context.exchange(Buffer.from(message, 'utf8'));
    if (reply.length > 0) {
      // The broker reports an error as JSON and waits for our acknowledgement before failing the exchange.
      const detail = reply.toString('utf8');
      try {
        await context.exchange(Buffer.from(SEPARATOR, 'utf8'));
      } catch (cause) {
        throw new AuthenticationError(`OAUTHBEARER authentication failed: ${detail}`, {
          broker: `${context.host}:${context.port}`,
          cause,
        });
      }
      throw new AuthenticationError(`OAUTHBEARER authentication failed: ${detail}`, {
        broker: `${context.host}:${context.port}`,
      });
    }
  }
}
