import { isMainThread } from 'node:worker_threads';

/** Something to end synchronously when the process exits. */
export interface ExitCleanup {
  /** Must be synchronous: it runs in `process.on('exit')`. */
  cleanUpNow(): void;
}

const pending = new Set<ExitCleanup>();
let installed = false;

function runAll(): void {
  for (const entry of [...pending]) {
    pending.delete(entry);
    try {
      entry.cleanUpNow();
    } catch {
      // Keep going: every cluster gets its chance.
    }
  }
}

function install(): void {
  if (installed) return;
  installed = true;
  process.on('exit', runAll);
  // Signals are only delivered to the main thread.
  if (!isMainThread) return;
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
    const onSignal = () => {
      runAll();
      // Adding a listener replaced Node's default (exit on the signal). When nobody else handles it, restore the
      // default and re-raise so the process still ends the way the signal meant.
      if (process.listenerCount(signal) === 1) {
        process.off(signal, onSignal);
        process.kill(process.pid, signal);
      }
    };
    process.on(signal, onSignal);
  }
}

/**
 * Registers a cleanup to run when this process exits normally or on SIGINT, SIGTERM or SIGHUP. Returns a function
 * that unregisters it (after a normal stop). SIGKILL runs nothing: the watchdog covers that.
 */
export function onProcessExit(entry: ExitCleanup): () => void {
  install();
  pending.add(entry);
  return () => {
    pending.delete(entry);
  };
}
