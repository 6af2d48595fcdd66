import type { KafkaError } from '../errors/kafka-error.js';
import type { TopicPartition } from '../vocabulary/topic-partition.js';

/**
 * The result of one item of a batch call: the item's key with its value and no `error`, or the item's key with
 * the `error` it failed with. Test `error` to narrow:
 *
 * ```ts
 * for (const result of await admin.createTopics([{ topic: 'a' }, { topic: 'b' }])) {
 *   if (result.error) console.error(result.topic, result.error.code);
 *   else console.log(result.topic, result.topicId);
 * }
 * ```
 *
 * Java returns a future per item (`CreateTopicsResult.values()`); here every item settles in the one array.
 */
export type ItemResult<Key, Value = unknown> =
  | (Key & Value & { readonly error?: undefined })
  | (Key & { readonly error: KafkaError });

/**
 * Groups per-partition items by topic, as per-topic request arrays need them: `[topic, values]` pairs in the order
 * topics first appear, each value made by `value` from its item.
 */
export function byTopic<I extends TopicPartition, V>(items: Iterable<I>, value: (item: I) => V): Array<[string, V[]]> {
  const groups = new Map<string, V[]>();
  for (const item of items) {
    const list = groups.get(item.topic);
    if (list === undefined) groups.set(item.topic, [value(item)]);
    else list.push(value(item));
  }
  return [...groups];
}

/**
 * The items of a batch result that succeeded (`error` undefined). Java: the values of the futures that completed
 * normally.
 */
export type Succeeded<T> = Extract<T, { readonly error?: undefined }>;

/** A broker of the cluster. Java: `Node`. */
export interface BrokerNode {
  /** Node id (`node.id`). */
  readonly nodeId: number;
  /** Advertised host. */
  readonly host: string;
  /** Advertised port. */
  readonly port: number;
  /** Rack (`broker.rack`), or null. */
  readonly rack: string | null;
}

/** A protocol timestamp (`-1` = none) as a number of milliseconds, or null. */
export function timestampOrNull(value: bigint): number | null {
  return value < 0n ? null : Number(value);
}

/** A protocol offset (`-1` = none) as a bigint, or null. */
export function offsetOrNull(value: bigint): bigint | null {
  return value < 0n ? null : value;
}

/** A protocol epoch (`-1` = none), or null. */
export function epochOrNull(value: number): number | null {
  return value < 0 ? null : value;
}
