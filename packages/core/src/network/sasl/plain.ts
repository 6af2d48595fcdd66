import type { SaslExchangeContext, SaslMechanism } from './sasl-mechanism.js';

/** Credentials for SASL/PLAIN. Send them only over TLS outside test setups: PLAIN puts the password on the wire. */
export interface PlainCredentials {
  /** User name. */
  readonly username: string;
  /** Password. Never logged. */
  readonly password: string;
  /** Optional authorization identity (rarely used with Kafka). */
  readonly authorizationIdentity?: string;
}

/**
 * SASL/PLAIN (RFC 4616): one message `authzid NUL username NUL password`.
 * Credentials live in a private field, so `console.log` and `util.inspect` of the mechanism do not show them.
 */
export class PlainMechanism implements SaslMechanism {
  readonly mechanism = 'PLAIN';
  readonly #credentials: PlainCredentials;

  constructor(credentials: PlainCredentials) {
    this.#credentials = credentials;
  }

  async authenticate(context: SaslExchangeContext): Promise<void> {
    const { username, password, authorizationIdentity = '' } = this.#credentials;
    await context.exchange(Buffer.from(`${authorizationIdentity}\0${username}\0${password}`, 'utf8'));
  }
}
