import { type ChildProcess, fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const CHILD = fileURLToPath(new URL('./share-child.ts', import.meta.url));

/** A message from a share consumer child. */
export interface ShareChildMessage {
  readonly type: string;
  readonly offsets?: string[];
  readonly counts?: number[];
  readonly [key: string]: unknown;
}

/** A share consumer running in a child process (see `share-child.ts`). */
export interface ShareChild {
  readonly process: ChildProcess;
  readonly messages: ShareChildMessage[];
  /** Resolves with the first message of `type` (rejects if the child exits first). */
  next(type: string): Promise<ShareChildMessage>;
  readonly exited: Promise<number | null>;
  /** kill -9, and wait for the exit. */
  kill(): Promise<void>;
}

/** Starts a share consumer child (TypeScript through tsx). */
export function spawnShareChild(config: Record<string, unknown>): ShareChild {
  const child = fork(CHILD, [JSON.stringify(config)], {
    execArgv: ['--import', 'tsx'],
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const messages: ShareChildMessage[] = [];
  const waiters: Array<{ type: string; resolve: (m: ShareChildMessage) => void }> = [];
  child.on('message', (message: ShareChildMessage) => {
    messages.push(message);
    for (const waiter of waiters.filter((w) => w.type === message.type)) {
      waiters.splice(waiters.indexOf(waiter), 1);
      waiter.resolve(message);
    }
  });
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return {
    process: child,
    messages,
    exited,
    next(type) {
      const found = messages.find((m) => m.type === type);
      if (found !== undefined) return Promise.resolve(found);
      return new Promise((resolve, reject) => {
        waiters.push({ type, resolve });
        void exited.then((code) => reject(new Error(`share child exited (${code}) before sending '${type}'`)));
      });
    },
    async kill() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
      await exited;
    },
  };
}
