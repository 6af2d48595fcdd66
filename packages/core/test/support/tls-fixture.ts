/**
 * A self-signed certificate for `IP:127.0.0.1` and `DNS:localhost` (P-256, valid 2020-2120) and its key, made with
 * openssl for Vltava's tests and used by nothing else: TLS servers in unit tests (no broker) present it. Not a
 * secret.
 */
export const TEST_CERT_PEM = `-----BEGIN CERTIFICATE-----
MIIBbzCCARWgAwIBAgIBATAKBggqhkjOPQQDAjAbMRkwFwYDVQQDDBB2bHRhdmEt
dGVzdC1vbmx5MCAXDTIwMDEwMTAwMDAwMFoYDzIxMjAwMTAxMDAwMDAwWjAbMRkw
FwYDVQQDDBB2bHRhdmEtdGVzdC1vbmx5MFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcD
QgAEBU3YYxL/rQhv2pASy77cDuEzvbJuX2lBEazrgTk+fub82XcTgrT5U3Nyzie7
x4fpIsI9H8BGwcXRwTl1Gb6OHaNIMEYwGgYDVR0RBBMwEYcEfwAAAYIJbG9jYWxo
b3N0MAkGA1UdEwQCMAAwHQYDVR0OBBYEFFtR0ghK3KtS72C4emw1RzdfcVlSMAoG
CCqGSM49BAMCA0gAMEUCIEiv/HhoWbcesQTTECc+y/t6Jm1CusXyw2IUMf2GmL0n
AiEAjXn8D81pOCm8jrAYez5GlFJ9N9po0JRfY2LWVzkCma0=
-----END CERTIFICATE-----
`;

/** The private key of {@link TEST_CERT_PEM} (PKCS#8). */
export const TEST_KEY_PEM = `-----BEGIN PRIVATE KEY-----
MIGHAgEAMBMGByqGSM49AgEGCCqGSM49AwEHBG0wawIBAQQgg6O9mKTEjFuL/I6J
vNrGA+K2ytc0xjqqpXUCqLYhRe2hRANCAAQFTdhjEv+tCG/akBLLvtwO4TO9sm5f
aUERrOuBOT5+5vzZdxOCtPlTc3LOJ7vHh+kiwj0fwEbBxdHBOXUZvo4d
-----END PRIVATE KEY-----
`;
