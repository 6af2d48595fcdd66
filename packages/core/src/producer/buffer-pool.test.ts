import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { BufferExhaustedError, RecordTooLargeError } from '../errors/client-errors.js';
import { BufferPool } from './buffer-pool.js';

describe('BufferPool', () => {
  beforeEach(() => {
    vi.useFakeTimers();
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('accounts allocations and never hands out more than its total', () => {
    const pool = new BufferPool(1000, 100);
    const a = pool.tryAllocate(100)!;
    const b = pool.tryAllocate(600)!;
    expect(a.length).toBe(100);
    expect(b.length).toBe(600);
    expect(pool.used).toBe(700);
    expect(pool.tryAllocate(301)).toBeUndefined();
    expect(pool.tryAllocate(300)!.length).toBe(300);
    expect(pool.available).toBe(0);
    expect(pool.tryAllocate(1)).toBeUndefined();
  });

  it('recycles batch-sized buffers only when told that no write can still read them', () => {
    const pool = new BufferPool(1000, 100);
    const a = pool.tryAllocate(100)!;
    const b = pool.tryAllocate(100)!;
    pool.release(a, 100, true);
    pool.release(b, 100, false);
    expect(pool.used).toBe(0);
    expect(pool.recycled).toBe(1);
    expect(pool.tryAllocate(100)).toBe(a);
    expect(pool.tryAllocate(100)).not.toBe(b);
  });

  it('drops recycled buffers when their memory is needed for another size', () => {
    const pool = new BufferPool(300, 100);
    const buffers = [pool.tryAllocate(100)!, pool.tryAllocate(100)!, pool.tryAllocate(100)!];
    for (const buffer of buffers) pool.release(buffer, 100, true);
    expect(pool.recycled).toBe(3);
    expect(pool.tryAllocate(250)!.length).toBe(250);
    expect(pool.recycled).toBe(0);
    expect(pool.used).toBe(250);
  });

  it('serves waiters first-in first-out as memory is released', async () => {
    const pool = new BufferPool(300, 100);
    const held = [pool.tryAllocate(100)!, pool.tryAllocate(100)!, pool.tryAllocate(100)!];
    const order: string[] = [];
    const big = pool.allocate(200, 1000).then(() => order.push('big'));
    const small = pool.allocate(100, 1000).then(() => order.push('small'));
    // A newcomer cannot overtake the queue even when its size would fit.
    pool.release(held[0], 100, true);
    expect(pool.tryAllocate(100)).toBeUndefined();
    expect(pool.waiting).toBe(2);
    pool.release(held[1], 100, true);
    await big;
    expect(order).toEqual(['big']);
    pool.release(held[2], 100, true);
    await small;
    expect(order).toEqual(['big', 'small']);
    expect(pool.used).toBe(300);
  });

  it('fails a waiter with BufferExhaustedError after its maxBlockMs, then serves those behind it', async () => {
    const pool = new BufferPool(300, 100);
    pool.tryAllocate(200);
    const held = pool.tryAllocate(100)!;
    const big = pool.allocate(300, 50);
    const small = pool.allocate(100, 500);
    const bigOutcome = big.catch((error: unknown) => error);
    pool.release(held, 100, false);
    expect(pool.waiting).toBe(2); // small waits behind big
    await vi.advanceTimersByTimeAsync(49);
    expect(pool.waiting).toBe(2);
    await vi.advanceTimersByTimeAsync(1);
    const error = await bigOutcome;
    expect(error).toBeInstanceOf(BufferExhaustedError);
    expect((error as Error).message).toMatch(/200 of 300 bytes \(bufferMemory\) in use and 300 more needed/);
    expect((await small).length).toBe(100);
    expect(pool.waiting).toBe(0);
  });

  it('rejects at once when asked not to wait, and rejects sizes above the whole pool', async () => {
    const pool = new BufferPool(300, 100);
    pool.tryAllocate(300);
    await expect(pool.allocate(100, 0)).rejects.toBeInstanceOf(BufferExhaustedError);
    await expect(pool.allocate(301, 1000)).rejects.toBeInstanceOf(RecordTooLargeError);
    expect(() => pool.tryAllocate(301)).toThrow(RecordTooLargeError);
  });

  it('whenAvailable resolves once enough is free and nobody waits', async () => {
    const pool = new BufferPool(300, 100);
    const a = pool.tryAllocate(300)!;
    let ready = false;
    const waiting = pool.whenAvailable(150).then(() => {
      ready = true;
    });
    pool.release(a, 300, false);
    await waiting;
    expect(ready).toBe(true);
    await expect(pool.whenAvailable(10)).resolves.toBeUndefined();
  });

  it('failWaiters rejects everyone waiting', async () => {
    const pool = new BufferPool(100, 100);
    pool.tryAllocate(100);
    const waiting = pool.allocate(100, 10_000);
    pool.failWaiters(new BufferExhaustedError('closing'));
    await expect(waiting).rejects.toThrow('closing');
    expect(pool.waiting).toBe(0);
  });
});
