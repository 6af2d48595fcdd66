import { open, readFile, rm, stat } from 'node:fs/promises';
import { setTimeout as delay } from 'node:timers/promises';
import { KafkaHarnessError } from '../errors.js';
import { isProcessAlive } from './process-alive.js';

/** Options of {@link withFileLock}. */
export interface FileLockOptions {
  /** A lock older than this is taken over even if its owner seems alive. Default 15 minutes. */
  readonly staleMs?: number;
  /** Give up waiting after this long. Default 20 minutes. */
  readonly timeoutMs?: number;
  /** Called once when the lock is busy, to tell the user why nothing happens. */
  readonly onWait?: () => void;
}

async function lockIsStale(path: string, staleMs: number): Promise<boolean> {
  try {
    const [info, text] = await Promise.all([stat(path), readFile(path, 'utf8')]);
    const pid = Number.parseInt(text, 10);
    if (Number.isInteger(pid) && pid > 0 && !isProcessAlive(pid)) return true;
    return Date.now() - info.mtimeMs > staleMs;
  } catch {
    return true;
  }
}

/**
 * Runs `fn` while holding an exclusive lock file (created with `O_EXCL`, holding the owner's pid), so that two
 * processes sharing the cache directory do not resolve or download the same artifacts at once. A lock whose owner
 * has died is taken over.
 */
export async function withFileLock<T>(path: string, fn: () => Promise<T>, options: FileLockOptions = {}): Promise<T> {
  const deadline = Date.now() + (options.timeoutMs ?? 20 * 60_000);
  let told = false;
  for (;;) {
    try {
      const handle = await open(path, 'wx');
      await handle.writeFile(String(process.pid));
      await handle.close();
      break;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
    if (await lockIsStale(path, options.staleMs ?? 15 * 60_000)) {
      await rm(path, { force: true });
      continue;
    }
    if (Date.now() > deadline) {
      throw new KafkaHarnessError(
        'ERR_STATE',
        `Timed out waiting for the lock ${path}; remove it if no process holds it.`,
      );
    }
    if (!told) {
      told = true;
      options.onWait?.();
    }
    await delay(250);
  }
  try {
    return await fn();
  } finally {
    await rm(path, { force: true });
  }
}
