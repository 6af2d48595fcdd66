import { BufferExhaustedError, RecordTooLargeError } from '../errors/client-errors.js';

interface Waiter {
  readonly size: number;
  readonly deadline: number;
  readonly resolve: (buffer: Buffer) => void;
  readonly reject: (error: BufferExhaustedError) => void;
}

interface SpaceWaiter {
  readonly bytes: number;
  readonly resolve: () => void;
}

/**
 * The producer's `bufferMemory`: accounts the bytes of every open or unacknowledged batch, and recycles
 * batch-sized buffers so that steady production allocates no new batch memory.
 *
 * - A batch takes `batchSize` bytes (the poolable size) or, for a record larger than that, exactly what it needs.
 *   `used + free <= totalBytes` always holds, where `free` is recycled buffers kept for reuse.
 * - {@link tryAllocate} never waits. {@link allocate} waits first-in first-out: while anyone waits, no newcomer
 *   may take memory ahead of them, so a large batch cannot be starved by small ones. Each waiter gives up at its
 *   deadline with `BufferExhaustedError` (one timer serves the whole queue).
 * - {@link release} gives bytes back. A buffer is recycled only when the caller says no socket write can still
 *   read it (the request got its response); otherwise it is left to the garbage collector and only its bytes are
 *   released. Reusing a buffer that a timed-out request is still writing could send another batch's bytes.
 *
 * The pool never allocates beyond `totalBytes`: memory for batches stays within `bufferMemory`.
 */
export class BufferPool {
  private usedBytes = 0;
  private readonly free: Buffer[] = [];
  private readonly waiters: Waiter[] = [];
  private waitersHead = 0;
  private timer: NodeJS.Timeout | undefined;
  private timerAt = Number.POSITIVE_INFINITY;
  private readonly spaceWaiters: SpaceWaiter[] = [];

  /**
   * @param totalBytes the bound (`bufferMemory`).
   * @param poolableSize size of recycled buffers (`batchSize`).
   * @param now clock, for tests.
   */
  constructor(
    readonly totalBytes: number,
    readonly poolableSize: number,
    private readonly now: () => number = Date.now,
  ) {}

  /** Bytes taken by batches. */
  get used(): number {
    return this.usedBytes;
  }

  /** Bytes that could be taken now (not used; recycled buffers count as available). */
  get available(): number {
    return this.totalBytes - this.usedBytes;
  }

  /** Number of allocations waiting for memory. */
  get waiting(): number {
    return this.waiters.length - this.waitersHead;
  }

  /** Recycled buffers kept for reuse. */
  get recycled(): number {
    return this.free.length;
  }

  /**
   * `size` bytes now, or `undefined` when they are not available or others are waiting (first come, first served).
   * Throws `RecordTooLargeError` when `size` exceeds the whole pool.
   */
  tryAllocate(size: number): Buffer | undefined {
    if (size > this.totalBytes) throw this.tooLarge(size);
    if (this.waiting > 0) return undefined;
    return this.take(size);
  }

  /**
   * `size` bytes, waiting first-in first-out for up to `maxWaitMs`. Rejects with `BufferExhaustedError` when the
   * wait passes and `RecordTooLargeError` when `size` exceeds the whole pool.
   */
  allocate(size: number, maxWaitMs: number): Promise<Buffer> {
    if (size > this.totalBytes) return Promise.reject(this.tooLarge(size));
    if (this.waiting === 0) {
      const buffer = this.take(size);
      if (buffer !== undefined) return Promise.resolve(buffer);
    }
    if (maxWaitMs <= 0) return Promise.reject(this.exhausted(size));
    return new Promise<Buffer>((resolve, reject) => {
      this.waiters.push({ size, deadline: this.now() + maxWaitMs, resolve, reject });
      this.armTimer();
    });
  }

  /**
   * Gives back `size` bytes taken by {@link tryAllocate} or {@link allocate}. `recycle` says whether `buffer` may be
   * handed out again (no pending socket write reads it).
   */
  release(buffer: Buffer | undefined, size: number, recycle: boolean): void {
    this.usedBytes -= size;
    if (recycle && buffer !== undefined && buffer.length === this.poolableSize && size === this.poolableSize) {
      this.free.push(buffer);
    }
    this.serveWaiters();
    this.notifySpace();
  }

  /**
   * Resolves once at least `bytes` are available and nobody waits for memory: the backpressure hook that
   * `producer.waitForBuffer()` exposes.
   */
  whenAvailable(bytes: number): Promise<void> {
    if (this.waiting === 0 && this.available >= bytes) return Promise.resolve();
    return new Promise((resolve) => this.spaceWaiters.push({ bytes, resolve }));
  }

  /** Fails every waiter with `error` (the producer is closing). */
  failWaiters(error: BufferExhaustedError): void {
    const waiters = this.waiters.splice(this.waitersHead);
    this.waiters.length = 0;
    this.waitersHead = 0;
    this.disarmTimer();
    for (const waiter of waiters) waiter.reject(error);
    for (const waiter of this.spaceWaiters.splice(0)) waiter.resolve();
  }

  private take(size: number): Buffer | undefined {
    if (size > this.totalBytes - this.usedBytes) return undefined;
    let buffer: Buffer | undefined;
    if (size === this.poolableSize) buffer = this.free.pop();
    // Recycled buffers are inside the bound; drop some when memory is needed for a buffer of another size.
    const freeBytes = this.free.length * this.poolableSize;
    if (buffer === undefined) {
      let excess = this.usedBytes + freeBytes + size - this.totalBytes;
      while (excess > 0 && this.free.length > 0) {
        this.free.pop();
        excess -= this.poolableSize;
      }
      buffer = Buffer.allocUnsafe(size);
    }
    this.usedBytes += size;
    return buffer;
  }

  private serveWaiters(): void {
    while (this.waitersHead < this.waiters.length) {
      const head = this.waiters[this.waitersHead]!;
      const buffer = this.take(head.size);
      if (buffer === undefined) break;
      this.waiters[this.waitersHead++] = undefined as unknown as Waiter;
      head.resolve(buffer);
    }
    this.compactWaiters();
  }

  private notifySpace(): void {
    if (this.spaceWaiters.length === 0 || this.waiting > 0) return;
    for (let i = 0; i < this.spaceWaiters.length; ) {
      const waiter = this.spaceWaiters[i]!;
      if (this.available >= waiter.bytes) {
        this.spaceWaiters.splice(i, 1);
        waiter.resolve();
      } else {
        i++;
      }
    }
  }

  private compactWaiters(): void {
    if (this.waitersHead === this.waiters.length) {
      this.waiters.length = 0;
      this.waitersHead = 0;
      this.disarmTimer();
    } else if (this.waitersHead > 64 && this.waitersHead * 2 > this.waiters.length) {
      this.waiters.splice(0, this.waitersHead);
      this.waitersHead = 0;
    }
  }

  /** One timer for the whole queue, set for the earliest deadline (waits may differ, so not always the head's). */
  private armTimer(): void {
    let earliest = Number.POSITIVE_INFINITY;
    for (let i = this.waitersHead; i < this.waiters.length; i++) {
      const waiter = this.waiters[i];
      if (waiter !== undefined && waiter.deadline < earliest) earliest = waiter.deadline;
    }
    if (earliest === this.timerAt) return;
    this.disarmTimer();
    if (earliest === Number.POSITIVE_INFINITY) return;
    this.timerAt = earliest;
    this.timer = setTimeout(() => this.expire(), Math.max(0, earliest - this.now()));
  }

  private disarmTimer(): void {
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.timer = undefined;
    this.timerAt = Number.POSITIVE_INFINITY;
  }

  private expire(): void {
    this.timer = undefined;
    this.timerAt = Number.POSITIVE_INFINITY;
    const now = this.now();
    const kept: Waiter[] = [];
    const expired: Waiter[] = [];
    for (let i = this.waitersHead; i < this.waiters.length; i++) {
      const waiter = this.waiters[i]!;
      (waiter.deadline <= now ? expired : kept).push(waiter);
    }
    this.waiters.length = 0;
    this.waitersHead = 0;
    this.waiters.push(...kept);
    for (const waiter of expired) {
      waiter.reject(this.exhausted(waiter.size));
    }
    // A large waiter that timed out may have been blocking smaller ones behind it.
    this.serveWaiters();
    this.armTimer();
  }

  private exhausted(size: number): BufferExhaustedError {
    return new BufferExhaustedError(
      `Producer buffer full: ${this.usedBytes} of ${this.totalBytes} bytes (bufferMemory) in use and ${size} more ` +
        `needed; no space freed within maxBlockMs. Produce more slowly (await sends, or producer.waitForBuffer()), ` +
        `or raise bufferMemory`,
    );
  }

  private tooLarge(size: number): RecordTooLargeError {
    return new RecordTooLargeError(
      `A batch of ${size} bytes cannot fit in bufferMemory (${this.totalBytes} bytes); raise bufferMemory or send ` +
        `smaller records`,
    );
  }
}
