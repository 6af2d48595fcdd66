/** The clients compared, what each runs on, and in which scenarios. */
import type { Compression } from './job.js';

/** Where a client runs: a Node major version, or the JVM of the Java perf tools. */
export type Platform = 20 | 22 | 'java';

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
  /** Target: the most this client's records/s may be of Vltava's (producer and consumer); latency: p99 at least Vltava's. */
  readonly target?: number;
  /** Kinds of runs it takes part in. */
  readonly kinds: ReadonlyArray<'produce' | 'consume' | 'share' | 'latency'>;
  /** Target of the share consumer scenario, when it differs from `target`. */
  readonly shareTarget?: number;
  /**
   * For Vltava's own layers (Rx, streams): the least this client's records/s may be of the core API's (the
   * baseline), in the producer scenarios (and the consumer one, unless `consumeFloor` says otherwise).
   */
  readonly floor?: number;
  /** The floor of the consumer scenario, when it differs from `floor`. */
  readonly consumeFloor?: number;
  /** Producer scenarios it runs (all when absent). */
  readonly produceOnly?: (size: number, acks: 1 | 'all', compression: Compression) => boolean;
}

const uncompressed = (_size: number, _acks: 1 | 'all', compression: Compression) => compression === 'none';
const small = (size: number, _acks: 1 | 'all', compression: Compression) => size === 100 && compression === 'none';

/** Every client. Node clients run on Node 22 (the newest @platformatic/kafka needs it); Vltava on 20 too. */
export const CLIENTS: readonly Client[] = [
  {
    id: 'vltava',
    label: 'Vltava (Node 22)',
    driver: 'vltava',
    platform: 22,
    kinds: ['produce', 'consume', 'share', 'latency'],
  },
  {
    id: 'vltava-20',
    label: 'Vltava (Node 20)',
    driver: 'vltava',
    platform: 20,
    kinds: ['produce', 'consume', 'share', 'latency'],
  },
  {
    id: 'vltava-rx',
    label: 'Vltava Rx (sendTo, fromConsumer)',
    driver: 'vltava-rx',
    platform: 22,
    baseline: 'vltava',
    // Issue 22: sendTo and fromConsumer at least 0.8 of the core API.
    floor: 0.8,
    kinds: ['produce', 'consume'],
    produceOnly: uncompressed,
  },
  {
    id: 'vltava-streams',
    label: 'Vltava streams (createWriteStream, createReadStream)',
    driver: 'vltava-streams',
    variant: 'write',
    platform: 22,
    baseline: 'vltava',
    // Issue 22: createWriteStream at least 0.9 of the core API, createReadStream at least 0.8.
    floor: 0.9,
    consumeFloor: 0.8,
    kinds: ['produce', 'consume'],
    produceOnly: uncompressed,
  },
  {
    id: 'vltava-streams-send',
    label: 'Vltava createSendStream',
    driver: 'vltava-streams',
    variant: 'send',
    platform: 22,
    baseline: 'vltava',
    floor: 0.9,
    kinds: ['produce'],
    produceOnly: uncompressed,
  },
  {
    id: 'vltava-kafkajs',
    label: '@vltava/kafkajs',
    driver: 'vltava-kafkajs',
    platform: 22,
    baseline: 'vltava',
    kinds: ['produce', 'consume', 'latency'],
  },
  {
    id: 'kafkajs',
    label: 'kafkajs',
    driver: 'kafkajs',
    platform: 22,
    peer: 'kafkajs',
    baseline: 'vltava',
    target: 1 / 2,
    kinds: ['produce', 'consume', 'latency'],
  },
  {
    id: 'platformatic',
    label: '@platformatic/kafka',
    driver: 'platformatic',
    variant: '@platformatic/kafka',
    platform: 22,
    peer: '@platformatic/kafka',
    baseline: 'vltava',
    target: 1 / 1.5,
    kinds: ['produce', 'consume', 'latency'],
  },
  {
    id: 'platformatic-1-20',
    label: '@platformatic/kafka 1.x (Node 20)',
    driver: 'platformatic',
    variant: '@platformatic/kafka-1',
    platform: 20,
    peer: '@platformatic/kafka-1',
    baseline: 'vltava-20',
    target: 1 / 1.5,
    kinds: ['produce', 'consume'],
    produceOnly: small,
  },
  {
    id: 'confluent-kafkajs',
    label: 'confluent KafkaJS API',
    driver: 'confluent',
    variant: 'kafkajs',
    platform: 22,
    peer: '@confluentinc/kafka-javascript',
    baseline: 'vltava',
    target: 1,
    kinds: ['produce', 'consume', 'latency'],
  },
  {
    id: 'confluent-native',
    label: 'confluent native API',
    driver: 'confluent',
    variant: 'native',
    platform: 22,
    peer: '@confluentinc/kafka-javascript',
    baseline: 'vltava',
    target: 1,
    kinds: ['produce', 'consume', 'latency'],
  },
  {
    id: 'java',
    label: 'Java perf tools',
    driver: 'java',
    platform: 'java',
    baseline: 'vltava',
    target: 1 / 0.8,
    // The share consumer's target (issue 19): at least the rate of `kafka-share-consumer-perf-test`.
    shareTarget: 1,
    kinds: ['produce', 'consume', 'share'],
  },
];
