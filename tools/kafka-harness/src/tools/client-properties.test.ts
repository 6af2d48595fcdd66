import { describe, expect, it } from 'vitest';
import { TEST_USERS } from '../cluster/test-users.js';
import { KafkaHarnessError } from '../errors.js';
import { clientSecurityProperties } from './client-properties.js';

const context = { sasl: { users: TEST_USERS }, tls: { caFile: '/t/ca.pem', clientKeystoreFile: '/t/client.pem' } };

describe('clientSecurityProperties', () => {
  it('writes SCRAM credentials of a known user', () => {
    expect(
      clientSecurityProperties(context, { listener: 'SASL_PLAINTEXT', mechanism: 'SCRAM-SHA-512', username: 'alice' }),
    ).toEqual({
      'security.protocol': 'SASL_PLAINTEXT',
      'sasl.mechanism': 'SCRAM-SHA-512',
      'sasl.jaas.config':
        'org.apache.kafka.common.security.scram.ScramLoginModule required username="alice" password="alice-secret";',
    });
  });

  it('writes an unsecured OAUTHBEARER login and PEM trust for SASL_SSL with mutual TLS', () => {
    const properties = clientSecurityProperties(context, {
      listener: 'SASL_SSL',
      mechanism: 'OAUTHBEARER',
      username: 'bob',
      mutualTls: true,
    });
    expect(properties['sasl.jaas.config']).toBe(
      'org.apache.kafka.common.security.oauthbearer.OAuthBearerLoginModule required unsecuredLoginStringClaim_sub="bob";',
    );
    expect(properties['ssl.truststore.type']).toBe('PEM');
    expect(properties['ssl.truststore.location']).toBe('/t/ca.pem');
    expect(properties['ssl.keystore.location']).toBe('/t/client.pem');
  });

  it('refuses a listener the cluster does not have', () => {
    expect(() => clientSecurityProperties({}, { listener: 'SSL' })).toThrow(KafkaHarnessError);
    expect(() => clientSecurityProperties({}, { listener: 'SASL_PLAINTEXT' })).toThrow(/sasl: true/);
  });
});
