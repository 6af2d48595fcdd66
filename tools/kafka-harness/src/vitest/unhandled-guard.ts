/**
 * A guard over the integration run: any `unhandledRejection` or `uncaughtException` in a test process fails the test
 * during which it happened (or the file, when it happens after the last test), naming what escaped. Vltava promises
 * that nothing escapes its calls unhandled, whatever fails; this makes every integration suite check it.
 */

/** What the guard listens to: `process`, or an emitter standing in for it in the guard's own tests. */
export interface ProcessEvents {
  on(event: 'unhandledRejection', listener: (reason: unknown) => void): unknown;
  on(event: 'uncaughtException', listener: (error: Error) => void): unknown;
}

/** A running guard. */
export interface UnhandledGuard {
  /** What escaped since the last call, described; empties the list. */
  drain(): string[];
}

function describe(value: unknown): string {
  if (value instanceof Error)
    return `${value.name}: ${value.message}${value.stack === undefined ? '' : `\n${value.stack}`}`;
  return String(value);
}

/** Starts recording what escapes on `target`. */
export function installUnhandledGuard(target: ProcessEvents): UnhandledGuard {
  const escaped: string[] = [];
  target.on('unhandledRejection', (reason) => escaped.push(`unhandledRejection: ${describe(reason)}`));
  target.on('uncaughtException', (error) => escaped.push(`uncaughtException: ${describe(error)}`));
  return { drain: () => escaped.splice(0) };
}

/** The error a test fails with when something escaped during it. */
export function escapedError(escaped: readonly string[], when: string): Error {
  return new Error(
    `${escaped.length} error(s) escaped unhandled ${when} (Vltava must settle or handle every failure):\n` +
      escaped.join('\n---\n'),
  );
}
