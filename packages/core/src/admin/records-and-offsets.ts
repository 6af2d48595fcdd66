import { InvalidArgumentError, UnsupportedVersionError } from '../errors/client-errors.js';
import type { Connection } from '../network/connection.js';
import { DeleteRecords } from '../protocol/messages/generated/delete-records.js';
import { ListOffsets } from '../protocol/messages/generated/list-offsets.js';
import { type IsolationLevel, isolationLevelCode } from '../vocabulary/isolation-level.js';
import { partitionKey, type TopicPartition } from '../vocabulary/topic-partition.js';
import type { AdminCall } from './admin-call.js';
import { exchange } from './admin-exchange.js';
import type { AdminCallOptions } from './admin-options.js';
import { type AdminRouter, type Outcomes, retryIfRetriable, settle } from './admin-request.js';
import { byTopic, epochOrNull, type ItemResult, offsetOrNull, timestampOrNull } from './admin-types.js';
import { partitionOutcomes } from './item-outcomes.js';

/**
 * Which offset `listOffsets` looks up. Java: `OffsetSpec`.
 * - `'earliest'`: the log start offset; `'latest'`: the end offset (high watermark, or last stable offset with
 *   `read_committed`);
 * - `'maxTimestamp'`: the offset of the record with the largest timestamp (ListOffsets v7+, KIP-734);
 * - `'earliestLocal'`: the first offset still on the broker's disk with tiered storage (v8+, KIP-1005);
 * - `'latestTiered'`: the last offset copied to tiered storage (v9+, KIP-1005);
 * - `{ timestamp }`: the first offset whose record timestamp is at or after `timestamp` (ms since the epoch).
 */
export type OffsetSpec =
  | 'earliest'
  | 'latest'
  | 'maxTimestamp'
  | 'earliestLocal'
  | 'latestTiered'
  | { readonly timestamp: number };

/** A partition and the offset to look up in it. Java: `Map<TopicPartition, OffsetSpec>` entry. */
export interface ListOffsetsRequestItem extends TopicPartition {
  /** Which offset. */
  readonly spec: OffsetSpec;
}

/** Options of `listOffsets`. Java: `ListOffsetsOptions`. */
export interface ListOffsetsOptions extends AdminCallOptions {
  /**
   * `'read_committed'` makes `'latest'` the last stable offset. Java: `isolationLevel`. Default `'read_uncommitted'`.
   */
  readonly isolationLevel?: IsolationLevel;
}

/** An offset `listOffsets` found. Java: `ListOffsetsResultInfo`. */
export interface OffsetInfo {
  /** The offset; null when no record matches (a timestamp after the last record). */
  readonly offset: bigint | null;
  /** The record's timestamp for timestamp lookups, else null. */
  readonly timestamp: number | null;
  /** The leader epoch of the offset, or null when the broker does not say. */
  readonly leaderEpoch: number | null;
}

/** The result of `listOffsets` for one partition. Java: `ListOffsetsResult.partitionResult(tp)`. */
export type ListOffsetsResult = ItemResult<TopicPartition, OffsetInfo>;

/** Records to delete from a partition: every record before `beforeOffset`. Java: `RecordsToDelete`. */
export interface RecordsToDelete extends TopicPartition {
  /** Delete the records below this offset; `-1n` deletes up to the high watermark. */
  readonly beforeOffset: bigint;
}

/** The result of `deleteRecords` for one partition: its new log start offset. Java: `DeletedRecords`. */
export type DeleteRecordsResult = ItemResult<TopicPartition, { readonly lowWatermark: bigint }>;

/** Timestamps ListOffsets understands, and the version each needs. */
const SPECIAL: Readonly<Record<Exclude<OffsetSpec, { timestamp: number }>, { timestamp: bigint; version: number }>> = {
  latest: { timestamp: -1n, version: 1 },
  earliest: { timestamp: -2n, version: 1 },
  maxTimestamp: { timestamp: -3n, version: 7 },
  earliestLocal: { timestamp: -4n, version: 8 },
  latestTiered: { timestamp: -5n, version: 9 },
};

/**
 * `listOffsets`: ListOffsets to each partition's leader, grouped per leader; partitions whose leader moved are
 * retried after a metadata refresh.
 */
export async function listOffsets(
  router: AdminRouter,
  requests: readonly ListOffsetsRequestItem[],
  options: ListOffsetsOptions = {},
): Promise<ListOffsetsResult[]> {
  const call = router.call('listOffsets', options);
  const specs = new Map<string, { timestamp: bigint; version: number }>();
  for (const request of requests) {
    checkPartition(request, 'listOffsets');
    const key = partitionKey(request.topic, request.partition);
    if (specs.has(key)) {
      throw new InvalidArgumentError(`listOffsets: ${key} appears twice; ask for one offset per partition per call`);
    }
    specs.set(key, specOf(request.spec));
  }
  if (requests.length === 0) return [];
  await router.ready(call);
  const outcomes = await lookUpOffsets(router, call, requests, specs, options.isolationLevel);
  return requests.map((r) =>
    settle(outcomes.get(partitionKey(r.topic, r.partition)), { topic: r.topic, partition: r.partition }),
  );
}

/** ListOffsets for partitions in a call already started (also used by the group offset methods). */
export function lookUpOffsets(
  router: AdminRouter,
  call: AdminCall,
  partitions: readonly TopicPartition[],
  specs: ReadonlyMap<string, { timestamp: bigint; version: number }>,
  isolationLevel: IsolationLevel | undefined,
): Promise<Outcomes<OffsetInfo>> {
  return router.leaderItems(call, partitions, async (connection, group) => {
    const version = router.negotiate(connection, ListOffsets);
    const answers: Outcomes<OffsetInfo> = new Map();
    const sendable: TopicPartition[] = [];
    for (const tp of group) {
      const key = partitionKey(tp.topic, tp.partition);
      const spec = specs.get(key)!;
      if (spec.version > version) {
        answers.set(key, {
          error: new UnsupportedVersionError(
            `This offset lookup needs ListOffsets v${spec.version}, but broker ${connection.label} speaks up to v${version}`,
            { broker: connection.label, topic: tp.topic, partition: tp.partition, api: 'ListOffsets' },
          ),
        });
        continue;
      }
      sendable.push(tp);
    }
    if (sendable.length === 0) return answers;
    const response = await router.send(
      call,
      connection,
      ListOffsets,
      {
        replicaId: -1,
        isolationLevel: isolationLevelCode(isolationLevel),
        topics: byTopic(sendable, (tp) => ({
          partitionIndex: tp.partition,
          timestamp: specs.get(partitionKey(tp.topic, tp.partition))!.timestamp,
        })).map(([name, partitions]) => ({ name, partitions })),
        timeoutMs: call.serverTimeout(),
      },
      version,
    );
    const sent = partitionOutcomes(response.topics, connection, {
      api: 'ListOffsets',
      value: (p) => ({
        offset: offsetOrNull(p.offset),
        timestamp: timestampOrNull(p.timestamp),
        leaderEpoch: epochOrNull(p.leaderEpoch),
      }),
      retryIf: retryIfRetriable,
    });
    for (const [key, outcome] of sent) answers.set(key, outcome);
    return answers;
  });
}

/** The ListOffsets timestamp of a spec, and the version it needs. */
export function specOf(spec: OffsetSpec): { timestamp: bigint; version: number } {
  if (typeof spec === 'string') {
    const special = SPECIAL[spec];
    if (special === undefined) {
      throw new InvalidArgumentError(
        `listOffsets: unknown offset spec '${spec}': expected ${Object.keys(SPECIAL).join(', ')} or { timestamp }`,
      );
    }
    return special;
  }
  if (spec === null || typeof spec !== 'object' || !Number.isInteger(spec.timestamp) || spec.timestamp < 0) {
    throw new InvalidArgumentError('listOffsets: a timestamp spec is { timestamp } in milliseconds since the epoch');
  }
  return { timestamp: BigInt(spec.timestamp), version: 1 };
}

/** `deleteRecords`: DeleteRecords to each partition's leader; each partition succeeds or fails alone. */
export async function deleteRecords(
  router: AdminRouter,
  records: readonly RecordsToDelete[],
  options: AdminCallOptions = {},
): Promise<DeleteRecordsResult[]> {
  const call = router.call('deleteRecords', options);
  for (const r of records) {
    checkPartition(r, 'deleteRecords');
    if (typeof r.beforeOffset !== 'bigint' || r.beforeOffset < -1n) {
      throw new InvalidArgumentError(
        `deleteRecords: beforeOffset of ${partitionKey(r.topic, r.partition)} must be a bigint offset (or -1n for the high watermark)`,
      );
    }
  }
  if (records.length === 0) return [];
  await router.ready(call);
  const outcomes = await router.leaderItems(call, records, async (connection: Connection, group) => {
    const response = await exchange(router, call, connection, {
      api: DeleteRecords,
      request: () => ({
        topics: byTopic(group, (r) => ({ partitionIndex: r.partition, offset: r.beforeOffset })).map(
          ([name, partitions]) => ({ name, partitions }),
        ),
        timeoutMs: call.serverTimeout(),
      }),
    });
    return partitionOutcomes(response.topics, connection, {
      api: 'DeleteRecords',
      value: (p) => ({ lowWatermark: p.lowWatermark }),
      retryIf: retryIfRetriable,
    });
  });
  return records.map((r) =>
    settle(outcomes.get(partitionKey(r.topic, r.partition)), { topic: r.topic, partition: r.partition }),
  );
}

/** Throws `InvalidArgumentError` unless `tp` names a topic and a partition index. */
export function checkPartition(tp: TopicPartition, method: string): void {
  if (
    tp === null ||
    typeof tp !== 'object' ||
    typeof tp.topic !== 'string' ||
    tp.topic === '' ||
    !Number.isInteger(tp.partition) ||
    tp.partition < 0
  ) {
    throw new InvalidArgumentError(`${method}: each partition is { topic, partition } with a partition index ≥ 0`);
  }
}
