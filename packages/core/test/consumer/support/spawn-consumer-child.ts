import { type ChildProcess, fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const CHILD = fileURLToPath(new URL('./consumer-child.ts', import.meta.url));

/** A consumer running in a child process (see `consumer-child.ts`). */
export interface ConsumerChild {
  readonly process: ChildProcess;
  /** Every message received, in order. */
  readonly messages: Array<{ type: string; [key: string]: unknown }>;
  /** Resolves with the first message of `type`. */
  next(type: string): Promise<{ type: string; [key: string]: unknown }>;
  /** Resolves when the process exited. */
  readonly exited: Promise<number | null>;
}

/** Starts a consumer child process (TypeScript through tsx), with `--expose-gc`. */
export function spawnConsumerChild(config: Record<string, unknown>): ConsumerChild {
  const child = fork(CHILD, [JSON.stringify(config)], {
    execArgv: ['--expose-gc', '--import', 'tsx'],
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const messages: Array<{ type: string; [key: string]: unknown }> = [];
  const waiters: Array<{ type: string; resolve: (m: { type: string }) => void }> = [];
  child.on('message', (message: { type: string }) => {
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
        waiters.push({ type, resolve: resolve as (m: { type: string }) => void });
        void exited.then((code) => reject(new Error(`child exited (${code}) before sending '${type}'`)));
      });
    },
  };
}
