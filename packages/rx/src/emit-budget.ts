/** Records emitted in a row between two looks at the clock. */
const CHECK_EVERY = 512;

/**
 * Longest time a source emits without letting the event loop run (timers, sockets), in ms. Yielding is by time, not
 * by count: a yield every 512 records (the first version) cost a macrotask turn, and a round of fetch handling,
 * every half millisecond at a million records/s, and halved `fromConsumer`'s throughput against the core iterator
 * (which does not yield while records are buffered).
 */
const YIELD_AFTER_MS = 10;

/**
 * When a source that emits synchronously should let the event loop run: {@link spend} is called per record and
 * returns true once `YIELD_AFTER_MS` passed since the last yield (the clock is read every 512 records only).
 */
export class EmitBudget {
  private inARow = 0;
  private since = performance.now();

  /** Counts an emitted record; true when the source should yield now. */
  spend(): boolean {
    if (++this.inARow < CHECK_EVERY) return false;
    this.inARow = 0;
    return performance.now() - this.since >= YIELD_AFTER_MS;
  }

  /** The source yielded, or waited: the budget starts over. */
  reset(): void {
    this.inARow = 0;
    this.since = performance.now();
  }
}

/** Lets the event loop run (timers, sockets) before the source emits more. */
export function yieldToEventLoop(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}
