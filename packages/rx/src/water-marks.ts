import { InvalidArgumentError } from '@vltava/core';

/**
 * Backpressure bounds of `fromConsumer` and `fromPartitions`: how many records (and bytes) may be emitted and not
 * yet acknowledged. At the high-water mark the source stops pulling records and pauses fetching of the partitions
 * concerned; once the count is back at the low-water mark it resumes them.
 */
export interface WaterMarkOptions {
  /** Records emitted and not acknowledged at which reading pauses. Default 1000. */
  readonly highWaterMark?: number;
  /** Records emitted and not acknowledged at which reading resumes. Default half the high-water mark. */
  readonly lowWaterMark?: number;
  /**
   * Bytes (keys, values and headers before deserialization) of the records emitted and not acknowledged at which
   * reading pauses. The record that crosses the mark is still emitted, so the count may exceed it by one record.
   * Default 16 MiB.
   */
  readonly highWaterMarkBytes?: number;
  /** Bytes at which reading resumes. Default half of `highWaterMarkBytes`. */
  readonly lowWaterMarkBytes?: number;
}

/** {@link WaterMarkOptions} with the defaults applied and checked. */
export interface WaterMarks {
  readonly highWaterMark: number;
  readonly lowWaterMark: number;
  readonly highWaterMarkBytes: number;
  readonly lowWaterMarkBytes: number;
}

/** Default high-water mark in records. */
export const DEFAULT_HIGH_WATER_MARK = 1000;
/** Default high-water mark in bytes. */
export const DEFAULT_HIGH_WATER_MARK_BYTES = 16 * 1024 * 1024;

/**
 * Applies the defaults and checks the marks: the high-water marks are positive integers, the low-water marks
 * integers from 0 up to (not including) their high-water mark.
 *
 * @throws InvalidArgumentError naming the bad option.
 */
export function resolveWaterMarks(options: WaterMarkOptions): WaterMarks {
  const highWaterMark = options.highWaterMark ?? DEFAULT_HIGH_WATER_MARK;
  const highWaterMarkBytes = options.highWaterMarkBytes ?? DEFAULT_HIGH_WATER_MARK_BYTES;
  checkHigh('highWaterMark', highWaterMark);
  checkHigh('highWaterMarkBytes', highWaterMarkBytes);
  const lowWaterMark = options.lowWaterMark ?? Math.floor(highWaterMark / 2);
  const lowWaterMarkBytes = options.lowWaterMarkBytes ?? Math.floor(highWaterMarkBytes / 2);
  checkLow('lowWaterMark', lowWaterMark, 'highWaterMark', highWaterMark);
  checkLow('lowWaterMarkBytes', lowWaterMarkBytes, 'highWaterMarkBytes', highWaterMarkBytes);
  return { highWaterMark, lowWaterMark, highWaterMarkBytes, lowWaterMarkBytes };
}

function checkHigh(name: string, value: number): void {
  if (!Number.isSafeInteger(value) || value < 1) {
    throw new InvalidArgumentError(`${name} must be a positive integer, got ${String(value)}`);
  }
}

function checkLow(name: string, value: number, highName: string, high: number): void {
  if (!Number.isSafeInteger(value) || value < 0 || value >= high) {
    throw new InvalidArgumentError(
      `${name} must be an integer from 0 to ${highName} - 1 (${high - 1}), got ${String(value)}`,
    );
  }
}
