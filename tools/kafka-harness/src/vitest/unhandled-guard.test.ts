import { EventEmitter } from 'node:events';
import { describe, expect, it } from 'vitest';
import { escapedError, installUnhandledGuard } from './unhandled-guard.js';

describe('the unhandled-error guard', () => {
  it('records every unhandled rejection and uncaught exception, once', () => {
    const events = new EventEmitter();
    const guard = installUnhandledGuard(events);
    expect(guard.drain()).toEqual([]);
    events.emit('unhandledRejection', new TypeError('boom'));
    events.emit('uncaughtException', new RangeError('bang'));
    events.emit('unhandledRejection', 'a string');
    const escaped = guard.drain();
    expect(escaped).toHaveLength(3);
    expect(escaped[0]).toMatch(/^unhandledRejection: TypeError: boom/);
    expect(escaped[1]).toMatch(/^uncaughtException: RangeError: bang/);
    expect(escaped[2]).toBe('unhandledRejection: a string');
    expect(guard.drain()).toEqual([]);
    expect(escapedError(escaped, 'during this test').message).toContain(
      '3 error(s) escaped unhandled during this test',
    );
  });
});
