import { ErrorCodes } from '../errors/error-codes.generated.js';
import type { ErrorContext, KafkaError } from '../errors/kafka-error.js';
import type { Connection } from '../network/connection.js';
import { partitionKey } from '../vocabulary/topic-partition.js';
import { failure, type Outcomes, retryIfNotController } from './admin-request.js';

/** One entry of a response's per-item list: its error code and, in most APIs, the broker's message. */
export interface ItemEntry {
  /** 0, or the Kafka error code of this item. */
  readonly errorCode: number;
  /** The broker's message for the error, when the API has one. */
  readonly errorMessage?: string | null;
}

/** How the entries of a per-item response map to outcomes, for {@link itemOutcomes}. */
export interface ItemAnswers<E extends ItemEntry, R> {
  /** The key of the item the entry answers (the key the round's items are retried by). */
  key(entry: E): string;
  /** Where an error happened, for its message (`{ topic, api }`). */
  context(entry: E): ErrorContext;
  /** The item's value when the entry's error code is 0. */
  value(entry: E): R;
  /**
   * Which per-item errors a retry can help (the others are final): `retryIfNotController` (the default, for
   * controller and config requests), `retryIfCoordinatorMoved` (coordinator requests) or `retryIfRetriable`
   * (partition-leader requests, where a moved leader answers with a retriable code).
   */
  readonly retryIf?: (error: KafkaError) => boolean;
}

/**
 * The outcomes of a response's per-item entries, by key: the value of each entry whose error code is 0, else its
 * broker error (typed by its code, with the broker's message and `context`), final unless `answers.retryIf` says a
 * retry can help.
 *
 * @example
 * ```ts
 * return itemOutcomes(response.results, connection, {
 *   key: (r) => r.name,
 *   context: (r) => ({ topic: r.name, api: 'CreatePartitions' }),
 *   value: () => null,
 * });
 * ```
 */
export function itemOutcomes<E extends ItemEntry, R>(
  entries: Iterable<E>,
  connection: Pick<Connection, 'label'>,
  answers: ItemAnswers<E, R>,
): Outcomes<R> {
  const outcomes: Outcomes<R> = new Map();
  const retryIf = answers.retryIf ?? retryIfNotController;
  for (const entry of entries) {
    outcomes.set(
      answers.key(entry),
      entry.errorCode === ErrorCodes.NONE
        ? { value: answers.value(entry) }
        : failure(entry.errorCode, entry.errorMessage, answers.context(entry), connection, retryIf),
    );
  }
  return outcomes;
}

/**
 * The partition entries of a response that groups them by topic, each with its topic's name as `topic`, for
 * {@link itemOutcomes}: `namedPartitions(topic)` gives a topic's name and its partitions
 * (`partitionEntries(response.topics, (t) => [t.name, t.partitions])`).
 */
export function partitionEntries<T, P extends object>(
  topics: Iterable<T>,
  namedPartitions: (topic: T) => readonly [string, Iterable<P>],
): Array<P & { readonly topic: string }> {
  const entries: Array<P & { readonly topic: string }> = [];
  for (const t of topics) {
    const [topic, partitions] = namedPartitions(t);
    for (const p of partitions) entries.push({ ...p, topic });
  }
  return entries;
}

/** How the partition entries of a per-partition response map to outcomes, for {@link partitionOutcomes}. */
export interface PartitionAnswers<P, R> {
  /** The API, for the errors' context. */
  readonly api: string;
  /** The partition's value when its error code is 0. */
  value(partition: P): R;
  /** Which per-partition errors a retry can help (see {@link ItemAnswers.retryIf}). */
  readonly retryIf?: (error: KafkaError) => boolean;
}

/**
 * The outcomes of a response that answers per partition, grouped by topic (`{ name, partitions }`): each keyed by
 * `partitionKey(topic, partitionIndex)`, with `{ topic, partition, api }` as its error's context. See
 * {@link itemOutcomes}.
 */
export function partitionOutcomes<P extends ItemEntry & { readonly partitionIndex: number }, R>(
  topics: Iterable<{ readonly name: string; readonly partitions: readonly P[] }>,
  connection: Pick<Connection, 'label'>,
  answers: PartitionAnswers<P, R>,
): Outcomes<R> {
  const partitions = partitionEntries(topics, (t) => [t.name, t.partitions]);
  return itemOutcomes(partitions, connection, {
    key: (p) => partitionKey(p.topic, p.partitionIndex),
    context: (p) => ({ topic: p.topic, partition: p.partitionIndex, api: answers.api }),
    value: (p) => answers.value(p),
    ...(answers.retryIf === undefined ? {} : { retryIf: answers.retryIf }),
  });
}
