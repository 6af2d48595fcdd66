import { describeContext, KafkaError } from '../errors/kafka-error.js';
import type { Succeeded } from './admin-types.js';

/**
 * Some items of a batch admin call failed: raised by {@link unwrapResults} (never by the admin methods, which
 * resolve with a result per item). `failures` holds every failed item with its error; `cause` is the first error.
 * Retriable only when every failure is.
 * Java: the `ExecutionException` of `KafkaFuture.all()`.
 */
export class AdminBatchError<
  T extends { readonly error?: KafkaError | undefined } = {
    readonly error?: KafkaError | undefined;
  },
> extends KafkaError {
  /** The failed items, each with its `error`. */
  readonly failures: ReadonlyArray<T & { readonly error: KafkaError }>;
  /** How many items the call had. */
  readonly total: number;

  constructor(method: string, failures: ReadonlyArray<T & { readonly error: KafkaError }>, total: number) {
    const first = failures[0]?.error;
    const shown = failures
      .slice(0, 3)
      .map((failure) => `${describeItem(failure)}: ${failure.error.code}`)
      .join('; ');
    const more = failures.length > 3 ? `; and ${failures.length - 3} more` : '';
    super(
      `${failures.length} of ${total} items of ${method} failed (${shown}${more}). Inspect \`failures\` for each ` +
        `item's error${describeContext({ api: first?.api })}`,
      'ERR_ADMIN_BATCH',
      failures.every((failure) => failure.error.retriable),
      { cause: first },
    );
    this.failures = failures;
    this.total = total;
  }
}

/**
 * The successful items of a batch result, or an {@link AdminBatchError} listing the failed ones. The admin's batch
 * methods resolve with a result per item (one bad topic does not hide the others); wrap them in this when any
 * failure should throw:
 *
 * ```ts
 * const created = unwrapResults(await admin.createTopics([{ topic: 'a' }, { topic: 'b' }]), 'createTopics');
 * ```
 *
 * Java: `KafkaFuture.all()` of the per-item futures.
 */
export function unwrapResults<T extends { readonly error?: KafkaError | undefined }>(
  results: readonly T[],
  method = 'the admin call',
): Array<Succeeded<T>> {
  const failures = results.filter((result): result is T & { readonly error: KafkaError } => result.error !== undefined);
  if (failures.length > 0) throw new AdminBatchError<T>(method, failures, results.length);
  return results as Array<Succeeded<T>>;
}

function describeItem(item: object): string {
  const record = item as Record<string, unknown>;
  for (const key of ['topic', 'groupId', 'transactionalId', 'user', 'memberId', 'brokerId']) {
    const value = record[key];
    if (typeof value === 'string' || typeof value === 'number') {
      return typeof record.partition === 'number' ? `${String(value)}-${record.partition}` : `${key} ${String(value)}`;
    }
  }
  const resource = record.resource as { type?: string; name?: string } | undefined;
  if (resource?.name !== undefined) return `${resource.type} ${resource.name}`;
  return 'item';
}
