import { type OptionsSchema, optionRules as r } from '../../config/option-rules.js';
import type { SaslOptions } from './sasl-options.js';

type PasswordSasl = Extract<SaslOptions, { readonly username: string }>;
type OAuthBearerSasl = Extract<SaslOptions, { readonly mechanism: 'OAUTHBEARER' }>;

const MECHANISM = r.required(r.oneOf('PLAIN', 'SCRAM-SHA-256', 'SCRAM-SHA-512', 'OAUTHBEARER'));

/** The keys of `sasl` for PLAIN and SCRAM. */
const PASSWORD_SASL_SCHEMA = {
  mechanism: MECHANISM,
  username: r.required(r.string(true)),
  password: r.required(r.secret(r.string())),
  delegationToken: r.boolean,
} satisfies OptionsSchema<PasswordSasl>;

/** The keys of `sasl` for OAUTHBEARER. */
const OAUTHBEARER_SASL_SCHEMA = {
  mechanism: MECHANISM,
  tokenProvider: r.required(r.function('returning { value: token } (or a Promise of it)')),
} satisfies OptionsSchema<OAuthBearerSasl>;

/** Every key some mechanism takes: the schema while the mechanism itself is wrong or missing. */
const ANY_SASL_SCHEMA: OptionsSchema = {
  mechanism: MECHANISM,
  username: r.string(),
  password: r.secret(r.string()),
  delegationToken: r.boolean,
  tokenProvider: r.function(),
};

/**
 * The `sasl` client option: the options of a built-in mechanism (checked key by key against that mechanism's), or
 * an object implementing `SaslMechanism` (its own business: not checked).
 */
export const SASL_OPTION = r.options(
  "SASL options ({ mechanism: 'PLAIN' | 'SCRAM-SHA-256' | 'SCRAM-SHA-512', username, password }, " +
    "{ mechanism: 'OAUTHBEARER', tokenProvider }) or a SaslMechanism",
  (value) => {
    if (typeof value.authenticate === 'function') return undefined;
    switch (value.mechanism) {
      case 'PLAIN':
      case 'SCRAM-SHA-256':
      case 'SCRAM-SHA-512':
        return PASSWORD_SASL_SCHEMA;
      case 'OAUTHBEARER':
        return OAUTHBEARER_SASL_SCHEMA;
      default:
        return ANY_SASL_SCHEMA;
    }
  },
);
