/**
 * Shared pieces of the fault-matrix suites: a principal the broker's authorizer refuses (SASL user `alice`, with
 * ACLs on the resource that name only `bob`), a super-user admin to set that up, and a clock for "how long until
 * the error".
 */
import { kafkaSasl } from '@vltava/kafka-harness/vitest';
import { Admin } from '../../src/admin/index.js';
import type { ClientOptions } from '../../src/cluster/client-options.js';
import type { LogFields, Logger } from '../../src/utils/logger.js';

/** Client settings of a SASL user (SCRAM-SHA-256) on the shared broker's SASL listener. */
export function saslClient(username: 'admin' | 'alice' | 'bob'): ClientOptions {
  const user = kafkaSasl().users.find((u) => u.username === username);
  if (user === undefined) throw new Error(`no SASL user ${username} on the harness broker`);
  return {
    brokers: kafkaSasl().brokers,
    sasl: { mechanism: 'SCRAM-SHA-256', username: user.username, password: user.password },
    logLevel: 'silent',
  };
}

/**
 * Gives `bob` every right on a topic or group, which leaves `alice` without any (the broker allows everyone on a
 * resource only while it has no ACL), and waits until the broker applies it: `alice` is refused describing it.
 */
export async function onlyBob(admin: Admin, resourceType: 'topic' | 'group', resourceName: string): Promise<void> {
  const [created] = await admin.createAcls([
    { resourceType, resourceName, principal: 'User:bob', operation: 'all', permission: 'allow' },
  ]);
  if (created?.error !== undefined) throw created.error;
  // KRaft brokers apply ACLs from the metadata log a moment after the controller commits them.
  const deadline = Date.now() + 20_000;
  for (;;) {
    const bindings = await admin.describeAcls({ resourceType, resourceName });
    if (bindings.length > 0) break;
    if (Date.now() > deadline) throw new Error(`ACL on ${resourceType} ${resourceName} never showed`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** A super-user admin client. Close it in `afterAll`. */
export function superAdmin(): Admin {
  return new Admin(saslClient('admin'));
}

/** Settles `work` and says how long it took, and with what. */
export async function clock<T>(
  work: Promise<T> | (() => Promise<T>),
): Promise<{ readonly value?: T; readonly error?: unknown; readonly ms: number }> {
  const started = performance.now();
  try {
    const value = await (typeof work === 'function' ? work() : work);
    return { value, ms: performance.now() - started };
  } catch (error) {
    return { error, ms: performance.now() - started };
  }
}

/** A logger that keeps what it is given, to assert on warnings. */
export function recordingLogger(): Logger & {
  readonly lines: Array<{ level: string; message: string; fields?: LogFields }>;
} {
  const lines: Array<{ level: string; message: string; fields?: LogFields }> = [];
  const keep = (level: string) => (message: string, fields?: LogFields) => {
    lines.push({ level, message, ...(fields === undefined ? {} : { fields }) });
  };
  return { lines, debug: keep('debug'), info: keep('info'), warn: keep('warn'), error: keep('error') };
}
