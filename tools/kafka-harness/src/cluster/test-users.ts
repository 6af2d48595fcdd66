/** A SASL user the harness creates on clusters with SASL listeners. */
export interface KafkaTestUser {
  /** User name; the Kafka principal is `User:<username>`. */
  readonly username: string;
  /** Password for PLAIN and SCRAM. */
  readonly password: string;
  /** True for the super user of the authorizer (`super.users`). */
  readonly superUser: boolean;
}

/**
 * The known test users: `admin` (super user when the authorizer is on) and two ordinary users for ACL tests.
 * They exist for PLAIN and for both SCRAM mechanisms. OAUTHBEARER accepts any unsecured token whose `sub` claim
 * names the principal.
 */
export const TEST_USERS: readonly KafkaTestUser[] = [
  { username: 'admin', password: 'admin-secret', superUser: true },
  { username: 'alice', password: 'alice-secret', superUser: false },
  { username: 'bob', password: 'bob-secret', superUser: false },
];

/** The SASL mechanisms enabled on SASL listeners. */
export const SASL_MECHANISMS = ['PLAIN', 'SCRAM-SHA-256', 'SCRAM-SHA-512', 'OAUTHBEARER'] as const;

/** A SASL mechanism of {@link SASL_MECHANISMS}. */
export type SaslMechanism = (typeof SASL_MECHANISMS)[number];

/** The SCRAM mechanisms, whose credentials are created when storage is formatted. */
export const SCRAM_MECHANISMS = ['SCRAM-SHA-256', 'SCRAM-SHA-512'] as const;
