import { delimiter } from 'node:path';
import { parseArgs } from 'node:util';
import { resolveKafka } from '../artifacts/resolve-kafka.js';
import { harnessCacheDir } from '../cache-dir.js';
import { tailFile } from '../cluster/jvm-kafka-cluster.js';
import { startKafka } from '../cluster/start-kafka.js';
import { KafkaHarnessError } from '../errors.js';
import { KAFKA_VERSION } from '../kafka-version.js';
import { KAFKA_RELEASES } from '../releases/kafka-releases.js';
import { isKafkaToolName, KAFKA_TOOLS } from '../tools/kafka-tool-table.js';
import { runKafkaTool } from '../tools/run-kafka-tool.js';
import { fetchMetadata } from '../wire/kafka-wire-client.js';
import {
  type CliClusterState,
  checkClusterName,
  clusterDirectory,
  listStates,
  livePids,
  readState,
  removeState,
  writeState,
} from './cli-state.js';
import { stopDetachedCluster } from './stop-detached-cluster.js';

/** Where the CLI writes: standard output for results, standard error for progress. */
export interface CliOutput {
  out(line: string): void;
  err(line: string): void;
}

const USAGE = `Usage: vltava-kafka <command> [options]

Starts Apache Kafka (KRaft) on 127.0.0.1 for development and tests: ${KAFKA_VERSION} by default, or any
supported release line from ${KAFKA_RELEASES[0]!.line} on with --version (see \`versions\`).

Commands:
  start [--version V] [--nodes N] [--sasl] [--ssl] [--authorizer] [--early-access] [--reauth-ms MS]
        [--set key=value]... [--name NAME]
                      start a cluster in the background and print how to reach it
  status [--name NAME] [--json]
                      show the clusters started with start, and whether they answer
  stop [--name NAME | --all]
                      stop a cluster started with start and delete its data
  logs [--name NAME] [--node ID] [--lines N]
                      print the end of a node's broker log
  tool [--name NAME] <kafka-tool> [args...]
                      run a Kafka command-line tool against the cluster (--bootstrap-server is added)
  classpath [--version V] [--json]
                      print Kafka's resolved classpath (resolving it first if needed)
  versions [--json]   list the supported releases and what differs between them
  help                this text

--version takes a line (3.9) or its version (3.9.2); default KAFKA_VERSION, else ${KAFKA_VERSION}.
Environment: KAFKA_VERSION, VLTAVA_CACHE_DIR, KAFKA_HOME, MAVEN_REPOSITORY_URL, JAVA_HOME (see the README).`;

const nameOption = { name: { type: 'string', default: 'default' } } as const;

function usage(message: string): KafkaHarnessError {
  return new KafkaHarnessError('ERR_USAGE', `${message}\n\n${USAGE}`);
}

async function answers(bootstrap: string): Promise<boolean> {
  const [host, port] = bootstrap.split(',')[0]!.split(':');
  try {
    await fetchMetadata({ host: host!, port: Number(port) }, [], { timeoutMs: 3_000 });
    return true;
  } catch {
    return false;
  }
}

function describeState(state: CliClusterState, io: CliOutput): void {
  const c = state.cluster;
  io.out(`  PLAINTEXT       ${c.bootstrap}`);
  if (c.saslBootstrap !== undefined) io.out(`  SASL_PLAINTEXT  ${c.saslBootstrap}`);
  if (c.sslBootstrap !== undefined) io.out(`  SSL             ${c.sslBootstrap}`);
  if (c.saslSslBootstrap !== undefined) io.out(`  SASL_SSL        ${c.saslSslBootstrap}`);
}

async function start(args: string[], io: CliOutput, cacheDir: string): Promise<void> {
  const { values } = parseArgs({
    args,
    options: {
      ...nameOption,
      version: { type: 'string' },
      'early-access': { type: 'boolean', default: false },
      nodes: { type: 'string', default: '1' },
      sasl: { type: 'boolean', default: false },
      ssl: { type: 'boolean', default: false },
      authorizer: { type: 'boolean', default: false },
      'reauth-ms': { type: 'string' },
      set: { type: 'string', multiple: true, default: [] },
    },
  });
  const name = checkClusterName(values.name);
  const existing = await readState(cacheDir, name);
  if (existing !== undefined) {
    if (livePids(existing).length > 0) {
      throw new KafkaHarnessError(
        'ERR_USAGE',
        `Cluster "${name}" is already running; \`vltava-kafka stop --name ${name}\` first.`,
      );
    }
    await stopDetachedCluster(existing);
    await removeState(cacheDir, name);
  }
  const brokerProperties: Record<string, string> = {};
  for (const setting of values.set) {
    const eq = setting.indexOf('=');
    if (eq <= 0) throw usage(`--set takes key=value, got ${setting}`);
    brokerProperties[setting.slice(0, eq)] = setting.slice(eq + 1);
  }
  const reauthMs = values['reauth-ms'] === undefined ? undefined : Number(values['reauth-ms']);
  const cluster = await startKafka({
    ...(values.version === undefined ? {} : { version: values.version }),
    earlyAccess: values['early-access'],
    nodes: Number(values.nodes),
    sasl: values.sasl ? (reauthMs === undefined ? true : { connectionsMaxReauthMs: reauthMs }) : false,
    ssl: values.ssl,
    authorizer: values.authorizer,
    brokerProperties,
    directory: clusterDirectory(cacheDir, name),
    persistent: true,
    runtime: 'jvm',
    log: (message) => io.err(message),
  });
  const state: CliClusterState = { name, startedAt: new Date().toISOString(), cluster: cluster.describe() };
  await writeState(cacheDir, state);
  const nodes = cluster.nodes.length;
  io.out(
    `Apache Kafka ${cluster.version} is running in the background: ${nodes} node${nodes === 1 ? '' : 's'}, cluster "${name}", id ${cluster.clusterId}.`,
  );
  describeState(state, io);
  if (cluster.sasl !== undefined) {
    io.out(
      `  SASL users: ${cluster.sasl.users.map((u) => `${u.username}/${u.password}`).join(', ')} (${cluster.sasl.mechanisms.join(', ')})`,
    );
  }
  if (cluster.tls !== undefined) io.out(`  SSL CA: ${cluster.tls.caFile}`);
  io.out('');
  io.out('Use it:');
  io.out(`  KAFKA_BROKERS=${cluster.bootstrap} npm test          # run the test suites against it`);
  io.out(`  npx vltava-kafka tool${name === 'default' ? '' : ` --name ${name}`} kafka-topics --list`);
  io.out(
    `  npx vltava-kafka logs${name === 'default' ? '' : ` --name ${name}`}       # broker log (${cluster.logFile(1)})`,
  );
  io.out(`  npx vltava-kafka stop${name === 'default' ? '' : ` --name ${name}`}`);
}

async function status(args: string[], io: CliOutput, cacheDir: string): Promise<void> {
  const { values } = parseArgs({
    args,
    options: { name: { type: 'string' }, json: { type: 'boolean', default: false } },
  });
  const names = values.name === undefined ? await listStates(cacheDir) : [checkClusterName(values.name)];
  const report = [];
  for (const name of names) {
    const state = await readState(cacheDir, name);
    if (state === undefined) continue;
    const live = livePids(state);
    report.push({ state, live, answering: live.length > 0 && (await answers(state.cluster.bootstrap)) });
  }
  if (values.json) {
    io.out(
      JSON.stringify(
        report.map((r) => ({ ...r.state, livePids: r.live, answering: r.answering })),
        null,
        2,
      ),
    );
    return;
  }
  if (report.length === 0) {
    io.out(
      values.name === undefined
        ? 'No cluster started with `vltava-kafka start`.'
        : `No cluster named "${values.name}".`,
    );
    return;
  }
  for (const { state, live, answering } of report) {
    const total = state.cluster.nodes.length;
    const health = live.length === 0 ? 'stopped' : answering ? 'running' : 'not answering';
    io.out(
      `${state.name}: ${health}, ${live.length}/${total} JVMs alive (pids ${live.join(', ') || '-'}), started ${state.startedAt}`,
    );
    describeState(state, io);
  }
}

async function stop(args: string[], io: CliOutput, cacheDir: string): Promise<void> {
  const { values } = parseArgs({ args, options: { ...nameOption, all: { type: 'boolean', default: false } } });
  const names = values.all ? await listStates(cacheDir) : [checkClusterName(values.name)];
  let stoppedAny = false;
  for (const name of names) {
    const state = await readState(cacheDir, name);
    if (state === undefined) continue;
    const pids = await stopDetachedCluster(state);
    await removeState(cacheDir, name);
    io.out(
      `Stopped "${name}" (${pids.length} JVM${pids.length === 1 ? '' : 's'}) and removed ${state.cluster.directory}.`,
    );
    stoppedAny = true;
  }
  if (!stoppedAny) io.out('Nothing to stop.');
}

async function logs(args: string[], io: CliOutput, cacheDir: string): Promise<void> {
  const { values } = parseArgs({
    args,
    options: { ...nameOption, node: { type: 'string', default: '1' }, lines: { type: 'string', default: '100' } },
  });
  const state = await readState(cacheDir, checkClusterName(values.name));
  const node = state?.cluster.nodes.find((candidate) => candidate.nodeId === Number(values.node));
  if (node?.logFile === undefined) throw usage(`No node ${values.node} in a cluster named "${values.name}".`);
  io.out(tailFile(node.logFile, Number(values.lines)));
}

async function tool(args: string[], io: CliOutput, cacheDir: string): Promise<number> {
  let name = 'default';
  let rest = args;
  if (rest[0] === '--name') {
    name = checkClusterName(rest[1] ?? '');
    rest = rest.slice(2);
  }
  const [toolName, ...toolArgs] = rest;
  if (toolName === undefined || !isKafkaToolName(toolName)) {
    throw usage(`tool needs one of: ${Object.keys(KAFKA_TOOLS).join(', ')}`);
  }
  const state = await readState(cacheDir, name);
  if (state === undefined)
    throw new KafkaHarnessError('ERR_STATE', `No cluster named "${name}"; start one with \`vltava-kafka start\`.`);
  const result = await runKafkaTool(state.cluster.bootstrap, toolName, toolArgs, { timeoutMs: 24 * 3_600_000 });
  if (result.stdout !== '') io.out(result.stdout.replace(/\n$/, ''));
  if (result.stderr !== '') io.err(result.stderr.replace(/\n$/, ''));
  return result.exitCode ?? 1;
}

async function classpath(args: string[], io: CliOutput, env: NodeJS.ProcessEnv): Promise<void> {
  const { values } = parseArgs({
    args,
    options: { json: { type: 'boolean', default: false }, version: { type: 'string' } },
  });
  const artifacts = await resolveKafka({
    env,
    ...(values.version === undefined ? {} : { version: values.version }),
    log: (message) => io.err(message),
  });
  io.out(
    values.json
      ? JSON.stringify({ version: artifacts.version, classpath: artifacts.classpath }, null, 2)
      : artifacts.classpath.join(delimiter),
  );
}

function versions(args: string[], io: CliOutput): void {
  const { values } = parseArgs({ args, options: { json: { type: 'boolean', default: false } } });
  if (values.json) {
    io.out(JSON.stringify(KAFKA_RELEASES, null, 2));
    return;
  }
  io.out('line  version  logging  consumer groups (KIP-848)  share groups (KIP-932)');
  for (const release of KAFKA_RELEASES) {
    io.out(
      `${release.line.padEnd(6)}${release.version.padEnd(9)}${release.logging.api.padEnd(9)}` +
        `${release.consumerGroups.padEnd(27)}${release.shareGroups}`,
    );
  }
  io.out('');
  io.out('early-access: off unless started with --early-access (startKafka({ earlyAccess: true })).');
}

/** Runs the `vltava-kafka` command with its arguments; resolves with the exit code. */
export async function runCli(
  argv: readonly string[],
  io: CliOutput,
  env: NodeJS.ProcessEnv = process.env,
): Promise<number> {
  const [command, ...args] = argv;
  const cacheDir = harnessCacheDir(env);
  try {
    switch (command) {
      case 'start':
        await start(args, io, cacheDir);
        return 0;
      case 'status':
        await status(args, io, cacheDir);
        return 0;
      case 'stop':
        await stop(args, io, cacheDir);
        return 0;
      case 'logs':
        await logs(args, io, cacheDir);
        return 0;
      case 'tool':
        return await tool(args, io, cacheDir);
      case 'classpath':
        await classpath(args, io, env);
        return 0;
      case 'versions':
        versions(args, io);
        return 0;
      case undefined:
      case 'help':
      case '--help':
      case '-h':
        io.out(USAGE);
        return command === undefined ? 2 : 0;
      default:
        throw usage(`Unknown command ${command}.`);
    }
  } catch (error) {
    if (error instanceof KafkaHarnessError) {
      io.err(`vltava-kafka: ${error.message}`);
      return error.code === 'ERR_USAGE' ? 2 : 1;
    }
    if (error instanceof TypeError && (error as { code?: string }).code?.startsWith('ERR_PARSE_ARGS')) {
      io.err(`vltava-kafka: ${error.message}\n\n${USAGE}`);
      return 2;
    }
    throw error;
  }
}
