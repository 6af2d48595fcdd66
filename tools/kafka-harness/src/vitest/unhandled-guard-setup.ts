// vitest `setupFiles` entry of the integration project: installs the unhandled-error guard (see unhandled-guard.ts)
// once per test process, and checks it after every test and after every file.
import { afterAll, afterEach } from 'vitest';
import { escapedError, installUnhandledGuard, type UnhandledGuard } from './unhandled-guard.js';

const KEY = Symbol.for('vltava.unhandledGuard');
const holder = globalThis as { [KEY]?: UnhandledGuard };
holder[KEY] ??= installUnhandledGuard(process);
const guard = holder[KEY];

afterEach(() => {
  const escaped = guard.drain();
  if (escaped.length > 0) throw escapedError(escaped, 'during this test');
});

afterAll(() => {
  const escaped = guard.drain();
  if (escaped.length > 0) throw escapedError(escaped, 'after the last test of this file');
});
