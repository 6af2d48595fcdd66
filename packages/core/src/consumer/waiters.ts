/**
 * Readers waiting for "something changed" (records arrived, an error was raised, a position became known, the
 * consumer is closing), each bounded by a timeout and an `AbortSignal`. A wait never rejects: the reader looks at
 * what changed when it resumes. Shared by the group and share consumers.
 */
export class Waiters {
  private waiting: Array<() => void> = [];

  /** Readers waiting now. */
  get size(): number {
    return this.waiting.length;
  }

  /** Resolves at the next {@link wakeAll}, after `timeoutMs` (when finite), or when `signal` aborts. */
  wait(timeoutMs: number | undefined, signal: AbortSignal | undefined): Promise<void> {
    if (signal?.aborted === true) return Promise.resolve();
    return new Promise<void>((resolve) => {
      let timer: NodeJS.Timeout | undefined;
      const done = () => {
        if (timer !== undefined) clearTimeout(timer);
        signal?.removeEventListener('abort', done);
        const index = this.waiting.indexOf(done);
        if (index >= 0) this.waiting.splice(index, 1);
        resolve();
      };
      if (timeoutMs !== undefined && Number.isFinite(timeoutMs)) timer = setTimeout(done, Math.max(0, timeoutMs));
      signal?.addEventListener('abort', done, { once: true });
      this.waiting.push(done);
    });
  }

  /** Wakes every waiting reader. */
  wakeAll(): void {
    if (this.waiting.length === 0) return;
    for (const done of this.waiting.slice()) done();
  }
}
