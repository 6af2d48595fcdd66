import type { Writable } from 'node:stream';

const GATHERING = Symbol('gathering');

/**
 * Corks `stream` until the next tick, once per tick, so that every write of this turn of the event loop reaches
 * `_writev` as one batch. Without it, the first write after an idle moment (a drained buffer, a batch just
 * acknowledged) would be handed to the producer alone.
 */
export function gatherTick(stream: Writable): void {
  const flagged = stream as Writable & { [GATHERING]?: boolean };
  if (flagged[GATHERING] === true) return;
  flagged[GATHERING] = true;
  stream.cork();
  process.nextTick(uncork, flagged);
}

function uncork(stream: Writable & { [GATHERING]?: boolean }): void {
  stream[GATHERING] = false;
  stream.uncork();
}
