import { pbkdf2, randomBytes } from 'node:crypto';
import { promisify } from 'node:util';
import { createBrokerError } from '../errors/broker-error-factory.js';
import { InvalidArgumentError } from '../errors/client-errors.js';
import { ErrorCodes } from '../errors/error-codes.generated.js';
import type { KafkaError } from '../errors/kafka-error.js';
import { AlterUserScramCredentials } from '../protocol/messages/generated/alter-user-scram-credentials.js';
import { DescribeUserScramCredentials } from '../protocol/messages/generated/describe-user-scram-credentials.js';
import { exchange, exchangeWithAnyBroker } from './admin-exchange.js';
import type { AdminCallOptions } from './admin-options.js';
import { type AdminRouter, brokerError, throwIfError } from './admin-request.js';
import type { ItemResult } from './admin-types.js';

const pbkdf2Async = promisify(pbkdf2);

/** A SCRAM mechanism. Java: `ScramMechanism` (`SCRAM_SHA_256`, `SCRAM_SHA_512`). */
export type ScramMechanismName = 'SCRAM-SHA-256' | 'SCRAM-SHA-512';

/** A stored SCRAM credential, without secrets. Java: `ScramCredentialInfo`. */
export interface ScramCredentialInfo {
  /** The mechanism (`'UNKNOWN'` for one this client does not know). */
  readonly mechanism: ScramMechanismName | 'UNKNOWN';
  /** PBKDF2 iterations. */
  readonly iterations: number;
}

/** The result of `describeUserScramCredentials` for one user. Java: `UserScramCredentialsDescription`. */
export type DescribeScramResult = ItemResult<
  { readonly user: string },
  { readonly credentials: readonly ScramCredentialInfo[] }
>;

/**
 * Sets a user's credential for a mechanism. The client salts and hashes the password (PBKDF2, as SCRAM stores
 * it); the password itself never leaves the process. Java: `UserScramCredentialUpsertion`.
 */
export interface ScramCredentialUpsertion {
  /** User name. */
  readonly user: string;
  /** Mechanism. */
  readonly mechanism: ScramMechanismName;
  /** The password. */
  readonly password: string;
  /** PBKDF2 iterations; Kafka accepts 4096 to 16384. Default 4096. */
  readonly iterations?: number;
  /** The salt. Default: 32 random bytes. */
  readonly salt?: Buffer;
}

/** Removes a user's credential for a mechanism. Java: `UserScramCredentialDeletion`. */
export interface ScramCredentialDeletion {
  /** User name. */
  readonly user: string;
  /** Mechanism. */
  readonly mechanism: ScramMechanismName;
  /** Marks a deletion. */
  readonly delete: true;
}

/** A change to a SCRAM credential. Java: `UserScramCredentialAlteration`. */
export type ScramCredentialAlteration = ScramCredentialUpsertion | ScramCredentialDeletion;

/**
 * The result of `alterUserScramCredentials` for one user (all of that user's alterations). Java:
 * `AlterUserScramCredentialsResult.values()`.
 */
export type AlterScramResult = ItemResult<{ readonly user: string }>;

const MECHANISMS: Readonly<Record<ScramMechanismName, { code: number; hash: 'sha256' | 'sha512'; length: number }>> = {
  'SCRAM-SHA-256': { code: 1, hash: 'sha256', length: 32 },
  'SCRAM-SHA-512': { code: 2, hash: 'sha512', length: 64 },
};

/**
 * `describeUserScramCredentials`: the mechanisms and iterations of each user's credentials (all users when `users`
 * is left out). A user without credentials fails alone (`ResourceNotFoundError`).
 */
export async function describeUserScramCredentials(
  router: AdminRouter,
  users?: readonly string[],
  options: AdminCallOptions = {},
): Promise<DescribeScramResult[]> {
  const call = router.call('describeUserScramCredentials', options);
  for (const user of users ?? []) checkUser(user, 'describeUserScramCredentials');
  await router.ready(call);
  const { response, connection } = await router.retryOnAnyBroker(call, async (connection) => {
    const response = await exchange(router, call, connection, {
      api: DescribeUserScramCredentials,
      request: () => ({ users: users === undefined ? null : users.map((name) => ({ name })) }),
    });
    throwIfError(response.errorCode, response.errorMessage, { api: 'DescribeUserScramCredentials' }, connection);
    return { response, connection };
  });
  const results = response.results.map((r): DescribeScramResult => {
    if (r.errorCode !== ErrorCodes.NONE) {
      return {
        user: r.user,
        error: brokerError(r.errorCode, r.errorMessage, { api: 'DescribeUserScramCredentials' }, connection),
      };
    }
    return {
      user: r.user,
      credentials: r.credentialInfos.map((c) => ({ mechanism: mechanismName(c.mechanism), iterations: c.iterations })),
    };
  });
  if (users === undefined) return results;
  const byUser = new Map(results.map((r) => [r.user, r]));
  return users.map(
    (user) =>
      byUser.get(user) ?? {
        user,
        error: createBrokerError(ErrorCodes.RESOURCE_NOT_FOUND, { api: 'DescribeUserScramCredentials' }),
      },
  );
}

/**
 * `alterUserScramCredentials`: sets or deletes users' SCRAM credentials (AlterUserScramCredentials to any broker,
 * which forwards to the controller). One result per user; a user with an invalid alteration (unknown mechanism,
 * bad iterations) fails alone and none of that user's alterations is sent.
 */
export async function alterUserScramCredentials(
  router: AdminRouter,
  alterations: readonly ScramCredentialAlteration[],
  options: AdminCallOptions = {},
): Promise<AlterScramResult[]> {
  const call = router.call('alterUserScramCredentials', options);
  const users: string[] = [];
  const local = new Map<string, KafkaError>();
  for (const alteration of alterations) {
    checkUser(alteration?.user, 'alterUserScramCredentials');
    if (!users.includes(alteration.user)) users.push(alteration.user);
    const problem = checkAlteration(alteration);
    if (problem !== undefined && !local.has(alteration.user)) local.set(alteration.user, problem);
  }
  const deletions: Array<{ name: string; mechanism: number }> = [];
  const upsertions: Array<{
    name: string;
    mechanism: number;
    iterations: number;
    salt: Buffer;
    saltedPassword: Buffer;
  }> = [];
  for (const alteration of alterations) {
    if (local.has(alteration.user)) continue;
    const mechanism = MECHANISMS[alteration.mechanism];
    if ('delete' in alteration) {
      deletions.push({ name: alteration.user, mechanism: mechanism.code });
      continue;
    }
    const iterations = alteration.iterations ?? 4096;
    const salt = alteration.salt ?? randomBytes(32);
    const saltedPassword = await pbkdf2Async(
      Buffer.from(alteration.password, 'utf8'),
      salt,
      iterations,
      mechanism.length,
      mechanism.hash,
    );
    upsertions.push({ name: alteration.user, mechanism: mechanism.code, iterations, salt, saltedPassword });
  }
  const results = new Map<string, KafkaError | null>();
  if (deletions.length + upsertions.length > 0) {
    await router.ready(call);
    const { response, connection } = await exchangeWithAnyBroker(router, call, {
      api: AlterUserScramCredentials,
      request: () => ({ deletions, upsertions }),
    });
    for (const r of response.results) {
      results.set(
        r.user,
        r.errorCode === ErrorCodes.NONE
          ? null
          : brokerError(r.errorCode, r.errorMessage, { api: 'AlterUserScramCredentials' }, connection),
      );
    }
  }
  return users.map((user): AlterScramResult => {
    const error = local.get(user) ?? results.get(user);
    return error === null || error === undefined ? { user } : { user, error };
  });
}

function checkAlteration(alteration: ScramCredentialAlteration): KafkaError | undefined {
  const context = { api: 'AlterUserScramCredentials' };
  if (MECHANISMS[alteration.mechanism] === undefined) {
    return createBrokerError(ErrorCodes.UNSUPPORTED_SASL_MECHANISM, {
      ...context,
      serverMessage: `Unknown SCRAM mechanism '${String(alteration.mechanism)}': use SCRAM-SHA-256 or SCRAM-SHA-512`,
    });
  }
  if ('delete' in alteration) return undefined;
  if (typeof alteration.password !== 'string' || alteration.password === '') {
    return new InvalidArgumentError(`A SCRAM upsertion for ${alteration.user} needs a non-empty password`, context);
  }
  const iterations = alteration.iterations ?? 4096;
  // The broker decides which counts it accepts (4096 to 16384 in Kafka 4); hashing needs a positive integer.
  if (!Number.isInteger(iterations) || iterations <= 0) {
    return new InvalidArgumentError(`SCRAM iterations must be a positive integer, got ${iterations}`, context);
  }
  return undefined;
}

function mechanismName(mechanism: number): ScramMechanismName | 'UNKNOWN' {
  return mechanism === 1 ? 'SCRAM-SHA-256' : mechanism === 2 ? 'SCRAM-SHA-512' : 'UNKNOWN';
}

function checkUser(user: string | undefined, method: string): void {
  if (typeof user !== 'string' || user === '')
    throw new InvalidArgumentError(`${method}: user names are non-empty strings`);
}
