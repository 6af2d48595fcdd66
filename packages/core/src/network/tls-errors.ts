/**
 * OpenSSL and Node error codes that mean "the peer's certificate cannot be trusted" (or the handshake cannot
 * agree), as opposed to a network failure. Retrying does not fix these, so connections fail fast with `TlsError`.
 */
const VERIFICATION_CODES = new Set([
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'UNABLE_TO_GET_ISSUER_CERT',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'CERT_HAS_EXPIRED',
  'CERT_NOT_YET_VALID',
  'CERT_REVOKED',
  'CERT_UNTRUSTED',
  'CERT_REJECTED',
  'CERT_SIGNATURE_FAILURE',
  'HOSTNAME_MISMATCH',
  'ERR_TLS_CERT_ALTNAME_INVALID',
  'ERR_SSL_WRONG_VERSION_NUMBER',
  'ERR_SSL_TLSV1_ALERT_UNKNOWN_CA',
  'ERR_SSL_SSLV3_ALERT_BAD_CERTIFICATE',
  'ERR_SSL_TLSV13_ALERT_CERTIFICATE_REQUIRED',
  'ERR_SSL_SSLV3_ALERT_HANDSHAKE_FAILURE',
]);

/** The client's own verification of the broker's certificate failed (chain or name). */
const HOSTNAME_CODES = new Set(['HOSTNAME_MISMATCH', 'ERR_TLS_CERT_ALTNAME_INVALID']);

/**
 * Alerts with which a broker refuses the client's certificate, or its absence (`ssl.client.auth=required`): TLS 1.2
 * brokers send them during the handshake, TLS 1.3 brokers after the client considers the handshake done.
 */
const CLIENT_CERTIFICATE_ALERTS = new Set([
  'BAD_CERTIFICATE',
  'CERTIFICATE_REQUIRED',
  'CERTIFICATE_UNKNOWN',
  'UNKNOWN_CA',
  'UNSUPPORTED_CERTIFICATE',
  'CERTIFICATE_EXPIRED',
  'CERTIFICATE_REVOKED',
  'ACCESS_DENIED',
]);

/** Alerts that mean the two sides share no protocol version or cipher suite. */
const NEGOTIATION_ALERTS = new Set(['HANDSHAKE_FAILURE', 'PROTOCOL_VERSION', 'INSUFFICIENT_SECURITY']);

/** `ERR_SSL_SSLV3_ALERT_BAD_CERTIFICATE` and the like: OpenSSL's name for an alert the peer sent. */
const ALERT_CODE = /^ERR_SSL_(?:SSLV3|TLSV1|TLSV13)_ALERT_(\w+)$/;

/** True when a socket error is a TLS verification or handshake failure. */
export function isTlsVerificationError(error: Error): boolean {
  const code = errorCode(error);
  return code !== undefined && (VERIFICATION_CODES.has(code) || code.startsWith('ERR_SSL_'));
}

/**
 * The alert's name (`BAD_CERTIFICATE`, `CERTIFICATE_REQUIRED`, ...) when a socket error is a TLS alert the peer
 * sent, else undefined. An alert is the peer's explicit refusal, whenever it arrives: under TLS 1.3 a broker's
 * verdict on the client certificate comes after the client's handshake has completed.
 */
export function tlsAlertName(error: Error): string | undefined {
  const code = errorCode(error);
  return code === undefined ? undefined : ALERT_CODE.exec(code)?.[1];
}

/**
 * What to do about a TLS failure, for the error message: which side refused what, and the setting that fixes it.
 * `clientCertificate` says whether the client presented a certificate (`ssl.cert`).
 */
export function tlsFailureAdvice(error: Error, clientCertificate: boolean): string {
  const code = errorCode(error) ?? '';
  const alert = tlsAlertName(error);
  if (alert !== undefined && CLIENT_CERTIFICATE_ALERTS.has(alert)) {
    return clientCertificate
      ? `The broker refused the client certificate (TLS alert ${alertText(alert)}): it must be valid and signed by ` +
          "a CA in the broker's truststore (ssl.truststore.*); check ssl.cert and ssl.key"
      : `The broker requires a client certificate (TLS alert ${alertText(alert)}, ssl.client.auth=required): set ` +
          "ssl.cert and ssl.key to a certificate signed by a CA in the broker's truststore";
  }
  if (alert !== undefined && NEGOTIATION_ALERTS.has(alert)) {
    const versions =
      "ssl.minVersion, ssl.maxVersion and ssl.ciphers against the broker's ssl.enabled.protocols and ssl.cipher.suites";
    // Some servers (OpenSSL under TLS 1.2) refuse a missing client certificate with handshake_failure too.
    return alert === 'HANDSHAKE_FAILURE' && !clientCertificate
      ? `The broker refused the TLS handshake (TLS alert ${alertText(alert)}): it may require a client certificate ` +
          `(ssl.client.auth=required: set ssl.cert and ssl.key), or share no TLS version or cipher suite: check ${versions}`
      : `The broker and the client share no TLS version or cipher suite (TLS alert ${alertText(alert)}): check ${versions}`;
  }
  if (alert !== undefined) return `The broker ended the TLS session with alert ${alertText(alert)}`;
  if (HOSTNAME_CODES.has(code)) {
    return "The broker's certificate does not name this host: connect by a name it lists, or set ssl.servername";
  }
  if (code === 'ERR_SSL_WRONG_VERSION_NUMBER' || code === 'ERR_SSL_PACKET_LENGTH_TOO_LONG') {
    return "The peer did not answer in TLS: if this is a PLAINTEXT listener, remove ssl or use the SSL listener's port";
  }
  if (VERIFICATION_CODES.has(code)) {
    return "The broker's certificate is not trusted: set ssl.ca to the CA that signed it";
  }
  return 'Check the CA and hostname';
}

function alertText(alert: string): string {
  return `'${alert.toLowerCase().replaceAll('_', ' ')}'`;
}

function errorCode(error: Error): string | undefined {
  const code = (error as { code?: unknown }).code;
  return typeof code === 'string' ? code : undefined;
}
