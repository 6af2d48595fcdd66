import { createHash, createHmac, pbkdf2, randomBytes, timingSafeEqual } from 'node:crypto';
import { promisify } from 'node:util';
import { AuthenticationError } from '../../errors/client-errors.js';
import type { SaslExchangeContext, SaslMechanism } from './sasl-mechanism.js';

const pbkdf2Async = promisify(pbkdf2);

/** Credentials for SASL/SCRAM. */
export interface ScramCredentials {
  /** User name. */
  readonly username: string;
  /** Password. Never logged. */
  readonly password: string;
  /** Set when authenticating with a delegation token (the token id as username, the HMAC as password). */
  readonly delegationToken?: boolean;
}

/** The hash behind a SCRAM mechanism. */
export type ScramHash = 'sha256' | 'sha512';

/** Smallest iteration count accepted from a broker; Kafka itself never uses fewer. */
const MIN_ITERATIONS = 4096;

/**
 * SASL/SCRAM-SHA-256 and SCRAM-SHA-512 (RFC 5802, RFC 7677), as Kafka implements them (KIP-84).
 *
 * The client proves knowledge of the password without sending it, and checks the server's signature, so a broker
 * that does not know the password cannot pretend to accept it. Salted passwords are cached per salt and iteration
 * count, so reconnects do not pay PBKDF2 again.
 */
export class ScramMechanism implements SaslMechanism {
  readonly mechanism: string;
  readonly #credentials: ScramCredentials;
  readonly #hash: ScramHash;
  readonly #saltedPasswords = new Map<string, Buffer>();
  readonly #nonce: () => string;

  /**
   * @param hash `sha256` for SCRAM-SHA-256, `sha512` for SCRAM-SHA-512.
   * @param nonce Client nonce generator; only tests replace it.
   */
  constructor(hash: ScramHash, credentials: ScramCredentials, nonce: () => string = defaultNonce) {
    this.#hash = hash;
    this.mechanism = hash === 'sha256' ? 'SCRAM-SHA-256' : 'SCRAM-SHA-512';
    this.#credentials = credentials;
    this.#nonce = nonce;
  }

  async authenticate(context: SaslExchangeContext): Promise<void> {
    const clientNonce = this.#nonce();
    const extensions = this.#credentials.delegationToken === true ? ',tokenauth=true' : '';
    const clientFirstBare = `n=${escapeSaslName(this.#credentials.username)},r=${clientNonce}${extensions}`;
    const gs2Header = 'n,,';
    const serverFirst = (await context.exchange(Buffer.from(gs2Header + clientFirstBare, 'utf8'))).toString('utf8');

    const attributes = parseAttributes(serverFirst);
    if (attributes.e !== undefined) {
      throw this.fail(context, `the broker refused the first message: ${attributes.e}`);
    }
    const nonce = attributes.r;
    const salt = attributes.s;
    const iterations = Number(attributes.i);
    if (nonce === undefined || salt === undefined || !Number.isInteger(iterations)) {
      throw this.fail(context, 'the broker sent a malformed server-first message');
    }
    if (!nonce.startsWith(clientNonce) || nonce.length === clientNonce.length) {
      throw this.fail(context, 'the broker nonce does not extend the client nonce');
    }
    if (iterations < MIN_ITERATIONS) {
      throw this.fail(
        context,
        `the broker asked for ${iterations} iterations, fewer than the minimum ${MIN_ITERATIONS}`,
      );
    }

    const saltedPassword = await this.saltedPassword(Buffer.from(salt, 'base64'), iterations);
    const clientKey = this.hmac(saltedPassword, 'Client Key');
    const storedKey = createHash(this.#hash).update(clientKey).digest();
    const clientFinalWithoutProof = `c=${Buffer.from(gs2Header).toString('base64')},r=${nonce}`;
    const authMessage = `${clientFirstBare},${serverFirst},${clientFinalWithoutProof}`;
    const clientSignature = this.hmac(storedKey, authMessage);
    const proof = Buffer.allocUnsafe(clientKey.length);
    for (let i = 0; i < clientKey.length; i++) proof[i] = clientKey[i]! ^ clientSignature[i]!;

    const serverFinal = (
      await context.exchange(Buffer.from(`${clientFinalWithoutProof},p=${proof.toString('base64')}`, 'utf8'))
    ).toString('utf8');
    const final = parseAttributes(serverFinal);
    if (final.e !== undefined) throw this.fail(context, `the broker refused the proof: ${final.e}`);
    if (final.v === undefined) throw this.fail(context, 'the broker sent a malformed server-final message');
    const expected = this.hmac(this.hmac(saltedPassword, 'Server Key'), authMessage);
    const received = Buffer.from(final.v, 'base64');
    if (received.length !== expected.length || !timingSafeEqual(received, expected)) {
      throw this.fail(context, 'the server signature is wrong: the broker does not know this password');
    }
  }

  private async saltedPassword(salt: Buffer, iterations: number): Promise<Buffer> {
    const key = `${salt.toString('base64')}:${iterations}`;
    let salted = this.#saltedPasswords.get(key);
    if (salted === undefined) {
      const length = this.#hash === 'sha256' ? 32 : 64;
      salted = await pbkdf2Async(this.#credentials.password, salt, iterations, length, this.#hash);
      this.#saltedPasswords.set(key, salted);
    }
    return salted;
  }

  private hmac(key: Buffer, data: string): Buffer {
    return createHmac(this.#hash, key).update(data, 'utf8').digest();
  }

  private fail(context: SaslExchangeContext, reason: string): AuthenticationError {
    return new AuthenticationError(
      `${this.mechanism} authentication of user '${this.#credentials.username}' failed: ${reason}`,
      { broker: `${context.host}:${context.port}` },
    );
  }
}

function defaultNonce(): string {
  return randomBytes(24).toString('base64');
}

/** RFC 5802 saslname: `=` and `,` are escaped. */
function escapeSaslName(name: string): string {
  return name.replace(/=/g, '=3D').replace(/,/g, '=2C');
}

/** Parses `k=v,k=v` where values may themselves contain `=`. */
function parseAttributes(message: string): Record<string, string | undefined> {
  const result: Record<string, string> = {};
  for (const part of message.split(',')) {
    const eq = part.indexOf('=');
    if (eq > 0) result[part.slice(0, eq)] = part.slice(eq + 1);
  }
  return result;
}
