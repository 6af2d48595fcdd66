// The fallback path for machines without Maven: the pinned list of jars is downloaded from a Maven repository
// (here a small HTTP server on 127.0.0.1 serving the jars the harness already resolved), every jar checked against
// its SHA-256; a jar with other bytes is refused; no repository configured is a clear error; and the committed
// list matches what Maven resolves from the pom.
import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { artifactFileName, artifactRepositoryPath, type PinnedArtifact } from '../src/artifacts/artifact.js';
import { loadArtifactList } from '../src/artifacts/artifact-list.js';
import { downloadArtifacts } from '../src/artifacts/download-artifacts.js';
import { resolveKafka } from '../src/artifacts/resolve-kafka.js';
import { KafkaHarnessError } from '../src/errors.js';
import { KAFKA_VERSION } from '../src/kafka-version.js';

const list = loadArtifactList(KAFKA_VERSION);
const scratch = mkdtempSync(join(tmpdir(), 'vltava-fallback-'));
let server: Server;
let repositoryUrl: string;
const requests: string[] = [];

// The harness's own resolution (Maven, or the cache it left), even where KAFKA_HOME points at a distribution.
const resolveFromCache = () => resolveKafka({ env: { ...process.env, KAFKA_HOME: '' } });

beforeAll(async () => {
  // Serve the jars of the classpath the harness resolved in the Maven repository layout.
  const { classpath } = await resolveFromCache();
  const byName = new Map(classpath.map((jar) => [basename(jar), jar]));
  const files = new Map<string, string>();
  for (const artifact of list.artifacts) {
    const jar = byName.get(artifactFileName(artifact));
    if (jar !== undefined) files.set(`/maven2/${artifactRepositoryPath(artifact)}`, jar);
  }
  server = createServer((request, response) => {
    requests.push(request.url ?? '');
    const file = files.get(request.url ?? '');
    if (file === undefined) {
      response.writeHead(404).end();
      return;
    }
    response.writeHead(200, { 'content-type': 'application/java-archive' }).end(readFileSync(file));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  repositoryUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/maven2/`;
});

afterAll(async () => {
  await new Promise<void>((resolve) => server.close(() => resolve()));
  rmSync(scratch, { recursive: true, force: true });
});

const clients = list.artifacts.find((a) => a.artifactId === 'kafka-clients')!;

describe('the pinned artifact fallback', () => {
  it('downloads a jar, verifies its checksum, and does not download it twice', async () => {
    const repositoryDir = join(scratch, 'single');
    requests.length = 0;
    const [path] = await downloadArtifacts([clients], { repositoryUrl, repositoryDir });
    expect(path).toBe(join(repositoryDir, ...artifactRepositoryPath(clients).split('/')));
    expect(createHash('sha256').update(readFileSync(path!)).digest('hex')).toBe(clients.sha256);
    expect(requests).toEqual([`/maven2/${artifactRepositoryPath(clients)}`]);

    await downloadArtifacts([clients], { repositoryUrl, repositoryDir });
    expect(requests).toHaveLength(1);
  });

  it('refuses a jar whose bytes do not match the pinned SHA-256, and writes nothing', async () => {
    const repositoryDir = join(scratch, 'tampered');
    const wrong: PinnedArtifact = { ...clients, sha256: '0'.repeat(64) };
    const error = await downloadArtifacts([wrong], { repositoryUrl, repositoryDir }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(KafkaHarnessError);
    expect((error as KafkaHarnessError).code).toBe('ERR_ARTIFACT_CHECKSUM');
    expect((error as Error).message).toContain('org.apache.kafka:kafka-clients');
    expect(existsSync(join(repositoryDir, ...artifactRepositoryPath(clients).split('/')))).toBe(false);
  });

  it('reports a missing jar with the URL it tried', async () => {
    const missing: PinnedArtifact = { ...clients, artifactId: 'no-such-artifact' };
    const error = await downloadArtifacts([missing], { repositoryUrl, repositoryDir: join(scratch, 'missing') }).catch(
      (e: unknown) => e,
    );
    expect((error as KafkaHarnessError).code).toBe('ERR_ARTIFACT_DOWNLOAD');
    expect((error as Error).message).toMatch(/HTTP 404/);
  });

  it('resolves the whole runtime without Maven, then answers from the cache without a single request', async () => {
    const cacheDir = join(scratch, 'cache');
    const env = { MAVEN_REPOSITORY_URL: repositoryUrl };
    requests.length = 0;
    const first = await resolveKafka({ env, cacheDir, useMaven: false, homeDir: scratch });
    expect(first.source).toBe('download');
    expect(first.version).toBe(KAFKA_VERSION);
    expect(first.classpath).toHaveLength(list.artifacts.length);
    expect(first.classpath.every((jar) => jar.startsWith(join(cacheDir, 'm2')) && existsSync(jar))).toBe(true);
    expect(requests).toHaveLength(list.artifacts.length);

    requests.length = 0;
    const second = await resolveKafka({ env, cacheDir, useMaven: false, homeDir: scratch });
    expect(second.source).toBe('cache');
    expect(second.classpath).toEqual(first.classpath);
    expect(requests).toEqual([]);
  });

  it('says how to fix it when neither Maven nor a repository URL is available', async () => {
    const error = await resolveKafka({
      env: {},
      cacheDir: join(scratch, 'nothing'),
      useMaven: false,
      homeDir: scratch,
    }).catch((e: unknown) => e);
    expect((error as KafkaHarnessError).code).toBe('ERR_NO_MAVEN_REPOSITORY');
    expect((error as Error).message).toMatch(/Install Maven, or set MAVEN_REPOSITORY_URL/);
  });

  it('matches the jars Maven resolves from the pom, byte for byte', async () => {
    const { classpath, source } = await resolveFromCache();
    expect(source).not.toBe('KAFKA_HOME');
    const resolved = classpath.map((jar) => ({
      file: basename(jar),
      sha256: createHash('sha256').update(readFileSync(jar)).digest('hex'),
    }));
    const pinned = list.artifacts.map((artifact) => ({ file: artifactFileName(artifact), sha256: artifact.sha256 }));
    expect(resolved).toEqual(pinned);
  });
});
