/**
 * What a SASL mechanism gets to run one authentication: the broker it talks to and a way to exchange bytes with it.
 * Each `exchange` call sends one SaslAuthenticate request carrying `clientBytes` and resolves with the broker's
 * `authBytes`; a broker-side failure rejects with an `AuthenticationError`.
 */
export interface SaslExchangeContext {
  /** Host of the broker, as configured or advertised. */
  readonly host: string;
  /** Port of the broker. */
  readonly port: number;
  /** Sends client bytes, resolves with the server's reply. */
  exchange(clientBytes: Buffer): Promise<Buffer>;
}

/**
 * A SASL mechanism. Built-in: PLAIN, SCRAM-SHA-256, SCRAM-SHA-512, OAUTHBEARER. Implement this interface to plug in
 * another one (for example a cloud provider's IAM mechanism): `authenticate` drives the conversation through
 * `context.exchange` and resolves when the mechanism considers the client authenticated.
 */
export interface SaslMechanism {
  /** The mechanism name sent in SaslHandshake, e.g. `SCRAM-SHA-512`. */
  readonly mechanism: string;
  /** Runs one full authentication exchange. Rejects with an `AuthenticationError` on failure. */
  authenticate(context: SaslExchangeContext): Promise<void>;
}
