import { lineAtLeast } from '../releases/kafka-releases.js';

/** How a tool takes `--bootstrap-server` and `--command-config`. */
export type BootstrapPlacement =
  /** Before every other argument (options-first tools and argparse tools with subcommands). */
  | 'first'
  /** After the first argument, which is a subcommand (`kafka-cluster cluster-id --bootstrap-server ...`). */
  | 'after-subcommand'
  /** Never: the tool talks to no cluster (`kafka-storage`). */
  | 'none';

/** A Kafka command-line tool: its main class in the 4.4 jars and how it takes the bootstrap address. */
export interface KafkaToolSpec {
  /** The main class in the newest supported release. */
  readonly mainClass: string;
  /** The first release line that has the tool. Default: every supported line. */
  readonly since?: string;
  /** The tool's main class in the lines before `line` (tools moved from `kafka.*` to `org.apache.kafka.tools`). */
  readonly mainClassBefore?: { readonly line: string; readonly mainClass: string };
  readonly bootstrap: BootstrapPlacement;
  /** Performance tools keep the full JIT and a larger heap. */
  readonly performance?: boolean;
}

/**
 * The Kafka command-line tools the harness runs, by the name of their `bin/*.sh` script (without `.sh`).
 * Main classes as found in the jars of each supported release (`kafka-tools`, `kafka_2.13`): the 4.4 one, the line
 * a tool first appeared in, and the class it had before it moved.
 */
export const KAFKA_TOOLS = {
  'kafka-topics': { mainClass: 'org.apache.kafka.tools.TopicCommand', bootstrap: 'first' },
  'kafka-console-producer': {
    mainClass: 'org.apache.kafka.tools.ConsoleProducer',
    bootstrap: 'first',
    mainClassBefore: { line: '4.0', mainClass: 'kafka.tools.ConsoleProducer' },
  },
  'kafka-console-consumer': {
    mainClass: 'org.apache.kafka.tools.consumer.ConsoleConsumer',
    bootstrap: 'first',
    mainClassBefore: { line: '3.8', mainClass: 'kafka.tools.ConsoleConsumer' },
  },
  'kafka-console-share-consumer': {
    mainClass: 'org.apache.kafka.tools.consumer.ConsoleShareConsumer',
    bootstrap: 'first',
    since: '4.0',
  },
  'kafka-producer-perf-test': {
    mainClass: 'org.apache.kafka.tools.ProducerPerformance',
    bootstrap: 'first',
    performance: true,
  },
  'kafka-consumer-perf-test': {
    mainClass: 'org.apache.kafka.tools.ConsumerPerformance',
    bootstrap: 'first',
    performance: true,
  },
  'kafka-share-consumer-perf-test': {
    mainClass: 'org.apache.kafka.tools.ShareConsumerPerformance',
    bootstrap: 'first',
    performance: true,
    since: '4.1',
  },
  'kafka-consumer-groups': {
    mainClass: 'org.apache.kafka.tools.consumer.group.ConsumerGroupCommand',
    bootstrap: 'first',
    mainClassBefore: { line: '3.8', mainClass: 'kafka.admin.ConsumerGroupCommand' },
  },
  'kafka-share-groups': {
    mainClass: 'org.apache.kafka.tools.consumer.group.ShareGroupCommand',
    bootstrap: 'first',
    since: '4.0',
  },
  'kafka-streams-groups': {
    mainClass: 'org.apache.kafka.tools.streams.StreamsGroupCommand',
    bootstrap: 'first',
    since: '4.1',
  },
  'kafka-groups': { mainClass: 'org.apache.kafka.tools.GroupsCommand', bootstrap: 'first', since: '4.0' },
  'kafka-configs': {
    mainClass: 'org.apache.kafka.tools.ConfigCommand',
    bootstrap: 'first',
    mainClassBefore: { line: '4.1', mainClass: 'kafka.admin.ConfigCommand' },
  },
  'kafka-acls': {
    mainClass: 'org.apache.kafka.tools.AclCommand',
    bootstrap: 'first',
    mainClassBefore: { line: '4.0', mainClass: 'kafka.admin.AclCommand' },
  },
  'kafka-features': { mainClass: 'org.apache.kafka.tools.FeatureCommand', bootstrap: 'first' },
  'kafka-metadata-quorum': { mainClass: 'org.apache.kafka.tools.MetadataQuorumCommand', bootstrap: 'first' },
  'kafka-get-offsets': { mainClass: 'org.apache.kafka.tools.GetOffsetShell', bootstrap: 'first' },
  'kafka-transactions': { mainClass: 'org.apache.kafka.tools.TransactionsCommand', bootstrap: 'first' },
  'kafka-delete-records': { mainClass: 'org.apache.kafka.tools.DeleteRecordsCommand', bootstrap: 'first' },
  'kafka-leader-election': { mainClass: 'org.apache.kafka.tools.LeaderElectionCommand', bootstrap: 'first' },
  'kafka-reassign-partitions': {
    mainClass: 'org.apache.kafka.tools.reassign.ReassignPartitionsCommand',
    bootstrap: 'first',
  },
  'kafka-log-dirs': { mainClass: 'org.apache.kafka.tools.LogDirsCommand', bootstrap: 'first' },
  'kafka-broker-api-versions': {
    mainClass: 'org.apache.kafka.tools.BrokerApiVersionsCommand',
    bootstrap: 'first',
    mainClassBefore: { line: '4.0', mainClass: 'kafka.admin.BrokerApiVersionsCommand' },
  },
  'kafka-client-metrics': { mainClass: 'org.apache.kafka.tools.ClientMetricsCommand', bootstrap: 'first' },
  'kafka-delegation-tokens': { mainClass: 'org.apache.kafka.tools.DelegationTokenCommand', bootstrap: 'first' },
  'kafka-verifiable-producer': { mainClass: 'org.apache.kafka.tools.VerifiableProducer', bootstrap: 'first' },
  'kafka-verifiable-consumer': { mainClass: 'org.apache.kafka.tools.VerifiableConsumer', bootstrap: 'first' },
  'kafka-cluster': { mainClass: 'org.apache.kafka.tools.ClusterTool', bootstrap: 'after-subcommand' },
  'kafka-storage': { mainClass: 'kafka.tools.StorageTool', bootstrap: 'none' },
} as const satisfies Record<string, KafkaToolSpec>;

/** The name of a tool the harness can run. */
export type KafkaToolName = keyof typeof KAFKA_TOOLS;

/**
 * The main class of a tool in a release line, or undefined when that line does not have the tool (for example
 * `kafka-share-groups` before 4.0).
 */
export function toolMainClass(tool: KafkaToolName, line: string): string | undefined {
  const spec: KafkaToolSpec = KAFKA_TOOLS[tool];
  if (spec.since !== undefined && !lineAtLeast(line, spec.since)) return undefined;
  if (spec.mainClassBefore !== undefined && !lineAtLeast(line, spec.mainClassBefore.line)) {
    return spec.mainClassBefore.mainClass;
  }
  return spec.mainClass;
}

/** True for a known tool name. */
export function isKafkaToolName(name: string): name is KafkaToolName {
  return Object.hasOwn(KAFKA_TOOLS, name);
}

/**
 * Puts `--bootstrap-server` and `--command-config` where the tool expects them, unless the arguments already name a
 * bootstrap (`--bootstrap-server` or `--bootstrap-controller`).
 */
export function placeConnectionArguments(
  tool: KafkaToolName,
  args: readonly string[],
  bootstrap: string | undefined,
  commandConfig: string | undefined,
): string[] {
  const spec: KafkaToolSpec = KAFKA_TOOLS[tool];
  if (spec.bootstrap === 'none') return [...args];
  const hasBootstrap = args.some(
    (arg) => arg.startsWith('--bootstrap-server') || arg.startsWith('--bootstrap-controller'),
  );
  const extra = [
    ...(bootstrap === undefined || hasBootstrap ? [] : ['--bootstrap-server', bootstrap]),
    ...(commandConfig === undefined ? [] : ['--command-config', commandConfig]),
  ];
  if (spec.bootstrap === 'after-subcommand' && args.length > 0) return [args[0]!, ...extra, ...args.slice(1)];
  return [...extra, ...args];
}
