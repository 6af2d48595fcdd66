import type { Writable } from 'node:stream';

/** The callback of `Writable.write`. */
export type WriteCallback = (error: Error | null | undefined) => void;

const gathering = new WeakSet<Writable>();

/**
 * Corks `stream` until the next tick, once per tick, so that every write of this turn of the event loop reaches
 * `_writev` as one batch. Without it, the first write after an idle moment (a drained buffer, a batch just
 * acknowledged) would be handed to the producer alone, costing a round trip of its own.
 */
export function gatherTick(stream: Writable): void {
  if (gathering.has(stream)) return;
  gathering.add(stream);
  stream.cork();
  process.nextTick(() => {
    gathering.delete(stream);
    stream.uncork();
  });
}
