/** The clients compared, what each runs on, how it is driven, and in which scenarios. */
import type { Compression } from './job.js';

/** A Node line the clients run on, or the JVM of the Java perf tools. */
export type Platform = 22 | 24 | 26 | 'java';

/** The Node lines the bench runs clients on. */
export const NODE_LINES = [22, 24, 26] as const;

/**
 * The Node line of the peers and of the Vltava rows they are compared with: the newest line every peer supports
 * (`@platformatic/kafka` 2.x declares Node `>= 22.22.0 || >= 24.6.0`; `@confluentinc/kafka-javascript` ships
 * prebuilt binaries up to Node 24; kafkajs declares `>= 14`).
 */
export const PEER_NODE = 24;

/** Where a client takes part. */
export type Kind = 'produce' | 'consume' | 'share' | 'latency';

/** A client in the comparison. */
export interface Client {
  /** Stable id (used in raw results). */
  readonly id: string;
  /** How tables and the chart name it. */
  readonly label: string;
  /** Driver module of `drivers/` (Node clients), or `java`. */
  readonly driver: string;
  /** Driver variant (package name or API). */
  readonly variant?: string;
  readonly platform: Platform;
  /** The peer package (for versions and blocked installs). */
  readonly peer?: string;
  /** Id of the Vltava client its ratio is taken against (same Node); none for Vltava itself. */
  readonly baseline?: string;
  /** A second client its ratio is shown against (the KafkaJS facade against kafkajs). */
  readonly alsoAgainst?: string;
  /** Kinds of runs it takes part in. */
  readonly kinds: readonly Kind[];
  /**
   * Whether its sends take arrays of records at the run's length and depth (the settings matrix applies); the
   * clients that send one record per call (the Java tool, the confluent native API, the Rx and stream adapters)
   * run at their one setting.
   */
  readonly arrays: boolean;
  /** An array setting of the client's own documentation, run beside the matrix's. */
  readonly ownSetting?: { readonly arrayLength: number; readonly arraysInFlight: number; readonly why: string };
  /** Only the scenarios marked `core` (a Vltava row on another Node line, an adapter). */
  readonly coreOnly?: boolean;
  /**
   * For Vltava's own layers (Rx, streams; issue 22): the least share of the core API's records/s (its `baseline`,
   * same run, same scenario) this client must reach in the producer scenarios, and in the consumer one unless
   * `consumeFloor` says otherwise. The report states each as met or missed.
   */
  readonly floor?: number;
  /** The floor of the consumer scenario, when it differs from `floor`. */
  readonly consumeFloor?: number;
  /** The API a floor is about, per kind, as the targets name it (`sendTo`, `createReadStream`). */
  readonly api?: Partial<Record<Kind, string>>;
  /** Producer scenarios it runs (all when absent). */
  readonly produceOnly?: (size: number, acks: 1 | 'all', compression: Compression) => boolean;
  /** How it is driven where it differs from the common settings, per kind (RESULTS.md lists it). */
  readonly how: Partial<Record<Kind, string>>;
}

const uncompressed = (_size: number, _acks: 1 | 'all', compression: Compression) => compression === 'none';

const vltavaOn = (platform: 22 | 26): Client => ({
  id: `vltava-${platform}`,
  label: `Vltava (Node ${platform})`,
  driver: 'vltava',
  platform,
  baseline: 'vltava',
  kinds: ['produce', 'consume'],
  arrays: true,
  coreOnly: true,
  how: { produce: 'as Vltava (Node 24), at the common setting' },
});

/** Every client. */
export const CLIENTS: readonly Client[] = [
  {
    id: 'vltava',
    label: 'Vltava (Node 24)',
    driver: 'vltava',
    platform: PEER_NODE,
    kinds: ['produce', 'consume', 'share', 'latency'],
    arrays: true,
    how: {
      produce:
        '`Producer.sendBatch(records)` (the last batches of an array go at once, without waiting out the linger); `lingerMs` 10, `batchSize` 200,000',
      consume: '`for await` over `consumer.batches({ maxRecords: 2000 })`; defaults (`checkCrcs` true)',
      share: '`ShareConsumer`, `for await` (implicit accept), defaults (`maxPollRecords` 500, `checkCrcs` true)',
      latency: '`send(record, callback)`; consumer `for await`',
    },
  },
  vltavaOn(22),
  vltavaOn(26),
  {
    id: 'vltava-rx',
    label: 'Vltava Rx (sendTo, fromConsumer)',
    driver: 'vltava-rx',
    platform: PEER_NODE,
    baseline: 'vltava',
    kinds: ['produce', 'consume'],
    arrays: false,
    coreOnly: true,
    produceOnly: uncompressed,
    // Issue 22: sendTo and fromConsumer at least 0.8 of the core API.
    floor: 0.8,
    api: { produce: '`sendTo`', consume: '`fromConsumer`' },
    how: {
      produce:
        '`range(...).pipe(map, sendTo(producer, ...))` on the core producer (its settings); one record per emission',
      consume: '`fromConsumer(consumer, { topics })`, `ack()` per message, automatic commits',
    },
  },
  {
    id: 'vltava-streams',
    label: 'Vltava streams (createWriteStream, createReadStream)',
    driver: 'vltava-streams',
    variant: 'write',
    platform: PEER_NODE,
    baseline: 'vltava',
    kinds: ['produce', 'consume'],
    arrays: false,
    coreOnly: true,
    produceOnly: uncompressed,
    // Issue 22: createWriteStream at least 0.9 of the core API, createReadStream at least 0.8.
    floor: 0.9,
    consumeFloor: 0.8,
    api: { produce: '`createWriteStream`', consume: '`createReadStream`' },
    how: {
      produce: '`pipeline(Readable, createWriteStream(producer, toRecord))` on the core producer (its settings)',
      consume:
        '`pipeline(createReadStream(consumer), createCommitStream(consumer))`: every record read is committed (the at-least-once shape)',
    },
  },
  {
    id: 'vltava-streams-send',
    label: 'Vltava createSendStream',
    driver: 'vltava-streams',
    variant: 'send',
    platform: PEER_NODE,
    baseline: 'vltava',
    kinds: ['produce'],
    arrays: false,
    coreOnly: true,
    produceOnly: uncompressed,
    // Issue 22: createSendStream at least 0.9 of the core API.
    floor: 0.9,
    api: { produce: '`createSendStream`' },
    how: {
      produce:
        '`pipeline(Readable, createSendStream(producer, toRecord), a sink of the results)` on the core producer (its settings): the middle of an at-least-once pipeline',
    },
  },
  {
    id: 'vltava-kafkajs',
    label: '@vltava/kafkajs',
    driver: 'vltava-kafkajs',
    platform: PEER_NODE,
    baseline: 'vltava',
    alsoAgainst: 'kafkajs',
    kinds: ['produce', 'consume', 'latency'],
    arrays: true,
    how: {
      produce: "the kafkajs driver's calls; the facade's defaults (`lingerMs` 0, `batchSize` 262,144)",
      consume: "`eachBatch`, the facade's defaults (up to 5,000 messages per batch, commits after each batch)",
      latency: "the kafkajs driver's calls",
    },
  },
  {
    id: 'kafkajs',
    label: 'kafkajs',
    driver: 'kafkajs',
    platform: PEER_NODE,
    peer: 'kafkajs',
    baseline: 'vltava',
    kinds: ['produce', 'consume', 'latency'],
    arrays: true,
    how: {
      produce:
        '`send({ messages })`; no linger or batch size (the array is its batch); LZ4 via `kafkajs-lz4`, zstd via a `zstd-napi` codec',
      consume: '`eachBatch`, defaults (`maxBytesPerPartition` 1 MiB, `maxBytes` 10 MiB)',
      latency: '`send` per tick; `eachBatch`',
    },
  },
  {
    id: 'platformatic',
    label: '@platformatic/kafka',
    driver: 'platformatic',
    variant: '@platformatic/kafka',
    platform: PEER_NODE,
    peer: '@platformatic/kafka',
    baseline: 'vltava',
    kinds: ['produce', 'consume', 'latency'],
    arrays: true,
    how: {
      produce: '`send({ messages })`; no linger or batch size (the array is its batch)',
      consume: '`consume({ mode: earliest })` stream, `data` events, defaults',
      latency: '`send` per tick; `consume()` stream',
    },
  },
  {
    id: 'confluent-kafkajs',
    label: 'confluent KafkaJS API',
    driver: 'confluent',
    variant: 'kafkajs',
    platform: PEER_NODE,
    peer: '@confluentinc/kafka-javascript',
    baseline: 'vltava',
    kinds: ['produce', 'consume', 'latency'],
    arrays: true,
    ownSetting: {
      arrayLength: 1000,
      arraysInFlight: 50,
      why: 'its INTRODUCTION.md: "use sends without awaiting them, then await all of them together"',
    },
    how: {
      produce: '`send({ messages })`; `linger.ms` 10, `batch.size` 200,000',
      consume: '`eachBatch`, `js.consumer.max.batch.size` -1 (as fast as 6 partitions concurrently, measured here)',
      latency: '`send` per tick; `eachMessage`',
    },
  },
  {
    id: 'confluent-native',
    label: 'confluent native API',
    driver: 'confluent',
    variant: 'native',
    platform: PEER_NODE,
    peer: '@confluentinc/kafka-javascript',
    baseline: 'vltava',
    kinds: ['produce', 'consume', 'latency'],
    arrays: false,
    how: {
      produce:
        '`produce()` per record, delivery reports polled in the background; `linger.ms` 10, `batch.size` 200,000',
      consume:
        '`consume(1000)` in a loop: the fastest of its documented modes measured here (`compare/confluent-modes.ts`)',
      latency: '`produce()` per record; flowing mode (`data` events)',
    },
  },
  {
    id: 'java',
    label: 'Java perf tools',
    driver: 'java',
    platform: 'java',
    baseline: 'vltava',
    kinds: ['produce', 'consume', 'share'],
    arrays: false,
    how: {
      produce:
        '`kafka-producer-perf-test`: `send()` per record; `linger.ms` 10, `batch.size` 200,000; 5x the records with `--warmup-records` (steady state after the first 20%)',
      consume: '`kafka-consumer-perf-test` with `check.crcs=true` (the tool forces false; see bench/README.md)',
      share: '`kafka-share-consumer-perf-test` with `check.crcs=true`, one consumer thread',
    },
  },
];

/** Whether `client` runs in `scenario`. */
export function takesPart(
  client: Client,
  scenario: { kind: Kind; core?: boolean; settings?: { size: number; acks: 1 | 'all'; compression: Compression } },
): boolean {
  if (!client.kinds.includes(scenario.kind)) return false;
  if (client.coreOnly && !scenario.core) return false;
  if (scenario.kind !== 'produce' || client.produceOnly === undefined || scenario.settings === undefined) return true;
  const { size, acks, compression } = scenario.settings;
  return client.produceOnly(size, acks, compression);
}
