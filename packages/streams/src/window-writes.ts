import { Writable } from 'node:stream';
import type { SendWindow, WriteCallback } from './send-window.js';
import { gatherTick } from './tick-gathering.js';

/**
 * `write()` of a Node stream that sends through `window` (`ProducerWritable`, `ProducerDuplex`): the writer's
 * callback is kept by the window until its chunk's records have their outcome, and the writes of one tick are
 * gathered into one `_writev` batch. Writes after the end, to a destroyed stream or of `null` go straight to
 * `Writable.write`, which fails them as usual.
 */
export function writeThroughWindow<T, K, V>(
  stream: Writable,
  window: SendWindow<T, K, V>,
  chunk: unknown,
  encoding: BufferEncoding | WriteCallback | undefined,
  callback: WriteCallback | undefined,
): boolean {
  if (typeof encoding === 'function') {
    callback = encoding;
    encoding = undefined;
  }
  if (stream.writableEnded || stream.destroyed || chunk === null) {
    return Writable.prototype.write.call(stream, chunk, encoding as BufferEncoding, callback);
  }
  gatherTick(stream);
  return Writable.prototype.write.call(stream, chunk, encoding as BufferEncoding, window.accepted(callback));
}

/** Hands the chunks of one `_writev` call to `window` as one batch; resolves once they are handed over. */
export function handWritev<T, K, V>(
  window: SendWindow<T, K, V>,
  chunks: ReadonlyArray<{ readonly chunk: T }>,
): Promise<void> {
  const list = new Array<T>(chunks.length);
  for (let i = 0; i < chunks.length; i++) list[i] = chunks[i]!.chunk;
  return window.hand(list);
}

/**
 * `_destroy()` of a stream that sends through `window`: lets the batches in flight settle first, so that their
 * writers' callbacks get the real outcome (acknowledged or the typed error), never a plain "destroyed"; then calls
 * back with the stream's error, or else the window's failure to close.
 */
export function disposeWindow<T, K, V>(
  window: SendWindow<T, K, V>,
  error: Error | null,
  callback: (error?: Error | null) => void,
): void {
  window.dispose().then(
    () => callback(error),
    (failure: unknown) => callback(error ?? (failure as Error)),
  );
}
