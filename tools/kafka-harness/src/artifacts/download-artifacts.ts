import { createHash } from 'node:crypto';
import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { describeError, KafkaHarnessError } from '../errors.js';
import { artifactRepositoryPath, formatCoordinates, type PinnedArtifact } from './artifact.js';

/** Options of {@link downloadArtifacts}. */
export interface DownloadArtifactsOptions {
  /** Base URL of a Maven repository (no trailing slash needed). */
  readonly repositoryUrl: string;
  /** Local Maven repository directory the jars are stored in (same layout as Maven's `~/.m2/repository`). */
  readonly repositoryDir: string;
  /** Parallel downloads. Default 4. */
  readonly concurrency?: number;
  /** Time allowed per jar. Default 120000. */
  readonly timeoutMs?: number;
  /** Progress messages. */
  readonly log?: (message: string) => void;
}

function sha256(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

async function existingMatches(path: string, artifact: PinnedArtifact): Promise<boolean> {
  try {
    const bytes = await readFile(path);
    return bytes.length === artifact.size && sha256(bytes) === artifact.sha256;
  } catch {
    return false;
  }
}

async function fetchBytes(url: string, timeoutMs: number): Promise<Uint8Array> {
  let lastError: unknown;
  for (let attempt = 0; attempt < 2; attempt++) {
    let response: Response;
    try {
      response = await fetch(url, { signal: AbortSignal.timeout(timeoutMs) });
    } catch (error) {
      lastError = error;
      continue;
    }
    if (!response.ok) {
      throw new KafkaHarnessError('ERR_ARTIFACT_DOWNLOAD', `GET ${url} answered HTTP ${response.status}.`);
    }
    try {
      return new Uint8Array(await response.arrayBuffer());
    } catch (error) {
      lastError = error;
    }
  }
  throw new KafkaHarnessError('ERR_ARTIFACT_DOWNLOAD', `GET ${url} failed: ${describeError(lastError)}.`, {
    cause: lastError,
  });
}

async function downloadOne(artifact: PinnedArtifact, options: DownloadArtifactsOptions): Promise<string> {
  const relativePath = artifactRepositoryPath(artifact);
  const destination = join(options.repositoryDir, ...relativePath.split('/'));
  if (await existingMatches(destination, artifact)) return destination;
  const url = `${options.repositoryUrl.replace(/\/+$/, '')}/${relativePath}`;
  options.log?.(`downloading ${formatCoordinates(artifact)}`);
  const bytes = await fetchBytes(url, options.timeoutMs ?? 120_000);
  const actual = sha256(bytes);
  if (actual !== artifact.sha256 || bytes.length !== artifact.size) {
    throw new KafkaHarnessError(
      'ERR_ARTIFACT_CHECKSUM',
      `${formatCoordinates(artifact)} from ${url} does not match the pinned list: expected SHA-256 ${artifact.sha256} ` +
        `(${artifact.size} bytes), got ${actual} (${bytes.length} bytes). The repository serves other bytes than ` +
        'the ones the list was made from; check MAVEN_REPOSITORY_URL or the mirror in ~/.m2/settings.xml.',
    );
  }
  await mkdir(dirname(destination), { recursive: true });
  const temporary = `${destination}.${process.pid}.part`;
  try {
    await writeFile(temporary, bytes);
    await rename(temporary, destination);
  } catch (error) {
    await rm(temporary, { force: true });
    throw error;
  }
  return destination;
}

/**
 * Downloads the pinned jars from a Maven repository into a local repository directory, verifying the SHA-256 and
 * size of each before it is put in place (a jar that fails the check is never written). Jars already present with
 * the right checksum are not downloaded again. Returns the local paths in the order of the list.
 */
export async function downloadArtifacts(
  artifacts: readonly PinnedArtifact[],
  options: DownloadArtifactsOptions,
): Promise<string[]> {
  const paths: string[] = new Array(artifacts.length);
  let next = 0;
  const worker = async () => {
    while (next < artifacts.length) {
      const index = next++;
      paths[index] = await downloadOne(artifacts[index]!, options);
    }
  };
  const workers = Array.from({ length: Math.max(1, Math.min(options.concurrency ?? 4, artifacts.length)) }, worker);
  const results = await Promise.allSettled(workers);
  const failed = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
  if (failed !== undefined) throw failed.reason;
  return paths;
}
