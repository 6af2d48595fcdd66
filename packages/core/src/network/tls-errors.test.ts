import { describe, expect, it } from 'vitest';
import { isTlsVerificationError, tlsAlertName, tlsFailureAdvice } from './tls-errors.js';

function socketError(code: string): Error {
  return Object.assign(new Error(`error with ${code}`), { code });
}

describe('tlsAlertName', () => {
  it('names the alert a peer sent, under every OpenSSL prefix', () => {
    expect(tlsAlertName(socketError('ERR_SSL_SSLV3_ALERT_BAD_CERTIFICATE'))).toBe('BAD_CERTIFICATE');
    expect(tlsAlertName(socketError('ERR_SSL_TLSV13_ALERT_CERTIFICATE_REQUIRED'))).toBe('CERTIFICATE_REQUIRED');
    expect(tlsAlertName(socketError('ERR_SSL_TLSV1_ALERT_UNKNOWN_CA'))).toBe('UNKNOWN_CA');
  });

  it('is undefined for anything that is not an alert', () => {
    expect(tlsAlertName(socketError('ECONNRESET'))).toBeUndefined();
    expect(tlsAlertName(socketError('ERR_SSL_WRONG_VERSION_NUMBER'))).toBeUndefined();
    expect(tlsAlertName(socketError('UNABLE_TO_VERIFY_LEAF_SIGNATURE'))).toBeUndefined();
    expect(tlsAlertName(new Error('no code'))).toBeUndefined();
  });
});

describe('isTlsVerificationError', () => {
  it('covers verification codes and every OpenSSL error, not network errors', () => {
    expect(isTlsVerificationError(socketError('DEPTH_ZERO_SELF_SIGNED_CERT'))).toBe(true);
    expect(isTlsVerificationError(socketError('ERR_SSL_SSLV3_ALERT_CERTIFICATE_UNKNOWN'))).toBe(true);
    expect(isTlsVerificationError(socketError('ECONNRESET'))).toBe(false);
  });
});

describe('tlsFailureAdvice', () => {
  it('says the broker wants a client certificate when none was configured', () => {
    const advice = tlsFailureAdvice(socketError('ERR_SSL_SSLV3_ALERT_BAD_CERTIFICATE'), false);
    expect(advice).toMatch(/requires a client certificate \(TLS alert 'bad certificate', ssl.client.auth=required\)/);
    expect(advice).toMatch(/set ssl.cert and ssl.key/);
  });

  it('says the broker refused the client certificate when one was configured', () => {
    const advice = tlsFailureAdvice(socketError('ERR_SSL_SSLV3_ALERT_CERTIFICATE_UNKNOWN'), true);
    expect(advice).toMatch(/refused the client certificate \(TLS alert 'certificate unknown'\).*truststore/);
  });

  it('tells an untrusted broker certificate, a wrong host name and a non-TLS peer apart', () => {
    expect(tlsFailureAdvice(socketError('UNABLE_TO_VERIFY_LEAF_SIGNATURE'), false)).toMatch(/not trusted: set ssl.ca/);
    expect(tlsFailureAdvice(socketError('ERR_TLS_CERT_ALTNAME_INVALID'), false)).toMatch(/does not name this host/);
    expect(tlsFailureAdvice(socketError('ERR_SSL_WRONG_VERSION_NUMBER'), false)).toMatch(/did not answer in TLS/);
  });

  it('names version and cipher settings for a negotiation failure', () => {
    expect(tlsFailureAdvice(socketError('ERR_SSL_TLSV1_ALERT_PROTOCOL_VERSION'), true)).toMatch(
      /share no TLS version or cipher suite.*ssl.minVersion/,
    );
    expect(tlsFailureAdvice(socketError('ERR_SSL_SSLV3_ALERT_HANDSHAKE_FAILURE'), false)).toMatch(
      /may require a client certificate.*or share no TLS version/,
    );
  });
});
