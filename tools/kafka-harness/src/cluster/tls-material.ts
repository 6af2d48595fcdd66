import { execFile } from 'node:child_process';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describeError, KafkaHarnessError } from '../errors.js';

/** The certificates of a cluster with SSL listeners, made fresh for each cluster. */
export interface TlsMaterial {
  /** PEM of the test CA that signed every certificate below. Trust it in TLS clients. */
  readonly caPem: string;
  /** The CA PEM as a file (for Java clients: `ssl.truststore.type=PEM`, `ssl.truststore.location`). */
  readonly caFile: string;
  /** The broker's private key and certificate chain in one PEM file (`ssl.keystore.type=PEM`). */
  readonly brokerKeystoreFile: string;
  /** Name in the client certificate's CN; the broker maps it to the principal `User:<name>`. */
  readonly clientName: string;
  /** PEM of a client certificate for mutual TLS. */
  readonly clientCertPem: string;
  /** PEM (PKCS#8) of the client certificate's private key. */
  readonly clientKeyPem: string;
  /** Client key and certificate in one PEM file, for Java clients (`ssl.keystore.type=PEM`). */
  readonly clientKeystoreFile: string;
}

function openssl(args: readonly string[], cwd: string): Promise<void> {
  return new Promise((resolve, reject) => {
    execFile('openssl', args, { cwd, timeout: 60_000 }, (error, _stdout, stderr) => {
      if (error === null) {
        resolve();
        return;
      }
      const missing = (error as NodeJS.ErrnoException).code === 'ENOENT';
      reject(
        new KafkaHarnessError(
          'ERR_OPENSSL',
          missing
            ? 'The SSL listener needs `openssl` on PATH to make test certificates; install OpenSSL or start without SSL.'
            : `openssl ${args[0]} failed: ${stderr.trim() || describeError(error)}`,
          { cause: error },
        ),
      );
    });
  });
}

const EC_KEY = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes'];

/**
 * Makes a throwaway CA, a broker certificate for `IP:127.0.0.1` and `DNS:localhost`, and a client certificate
 * (CN = `clientName`) for mutual TLS, with `openssl` (P-256 keys, valid 30 days). Keys are unencrypted PKCS#8 PEM,
 * which Kafka's PEM keystores read without a key password.
 */
export async function generateTlsMaterial(dir: string, clientName = 'alice'): Promise<TlsMaterial> {
  await mkdir(dir, { recursive: true });
  await writeFile(
    join(dir, 'broker.ext'),
    'basicConstraints=CA:FALSE\nkeyUsage=critical,digitalSignature,keyEncipherment\n' +
      'extendedKeyUsage=serverAuth,clientAuth\nsubjectAltName=IP:127.0.0.1,DNS:localhost\n',
  );
  await writeFile(
    join(dir, 'client.ext'),
    'basicConstraints=CA:FALSE\nkeyUsage=critical,digitalSignature,keyEncipherment\nextendedKeyUsage=clientAuth\n',
  );
  const days = ['-days', '30'];
  await openssl(
    [
      'req',
      '-x509',
      ...EC_KEY,
      '-keyout',
      'ca.key',
      '-out',
      'ca.pem',
      ...days,
      '-subj',
      '/CN=Vltava Test CA',
      '-addext',
      'basicConstraints=critical,CA:TRUE',
      '-addext',
      'keyUsage=critical,keyCertSign,cRLSign',
    ],
    dir,
  );
  const issue = async (name: string, subject: string) => {
    await openssl(['req', ...EC_KEY, '-keyout', `${name}.key`, '-out', `${name}.csr`, '-subj', subject], dir);
    await openssl(
      [
        'x509',
        '-req',
        '-in',
        `${name}.csr`,
        '-CA',
        'ca.pem',
        '-CAkey',
        'ca.key',
        '-CAcreateserial',
        '-out',
        `${name}.pem`,
        ...days,
        '-extfile',
        `${name}.ext`,
      ],
      dir,
    );
  };
  await issue('broker', '/CN=localhost');
  await issue('client', `/CN=${clientName}`);
  const [caPem, brokerKey, brokerCert, clientKeyPem, clientCertPem] = await Promise.all(
    ['ca.pem', 'broker.key', 'broker.pem', 'client.key', 'client.pem'].map((file) => readFile(join(dir, file), 'utf8')),
  );
  const brokerKeystoreFile = join(dir, 'broker-keystore.pem');
  const clientKeystoreFile = join(dir, 'client-keystore.pem');
  await writeFile(brokerKeystoreFile, `${brokerKey}${brokerCert}${caPem}`, { mode: 0o600 });
  await writeFile(clientKeystoreFile, `${clientKeyPem}${clientCertPem}${caPem}`, { mode: 0o600 });
  return {
    caPem: caPem!,
    caFile: join(dir, 'ca.pem'),
    brokerKeystoreFile,
    clientName,
    clientCertPem: clientCertPem!,
    clientKeyPem: clientKeyPem!,
    clientKeystoreFile,
  };
}
