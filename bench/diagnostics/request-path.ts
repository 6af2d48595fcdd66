/**
 * What the diagnostics channels cost on the request path: `Connection.send` round trips against an in-memory
 * broker (no network, so the client's own work is all there is to measure), in three variants run in rotating
 * order, several rounds:
 *
 * - `baseline`: the `Connection` of a commit before the channels existed (`--baseline <ref>`, default 85e9d75),
 *   loaded from git into a temporary file next to the current one;
 * - `no subscriber`: the current `Connection`, nobody subscribed (the claim: the same as the baseline);
 * - `subscriber`: the current `Connection` with a subscriber on all five events of `vltava:request`.
 *
 * Each variant is measured one request at a time and with 5 in flight. Also measured: one read of
 * `TracingChannel.hasSubscribers`, the whole price of a channel nobody listens to, before any subscriber and once
 * one has come and gone.
 *
 *   npx tsx --conditions=@vltava/source bench/diagnostics/request-path.ts [--rounds 7] [--requests 50000] [--baseline ref]
 *     [--variants 'baseline,baseline again,no subscriber,subscriber']
 *
 * `baseline again` runs the baseline a second time: the spread between the two is the run's noise floor. Leave out
 * `subscriber` to measure `no subscriber` with channels that never had one (see the guard figures below).
 *
 * Figures are CPU time per request (`process.cpuUsage`), not wall time: on a machine shared with other work the
 * wall clock measures the neighbours too.
 *
 * Writes the figures to bench/results/diagnostics/request-path-all.json (or -never-subscribed.json without the
 * `subscriber` variant).
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { Duplex } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { diagnosticChannels } from '../../packages/core/src/diagnostics/channels.js';
import { Connection, type ConnectionOptions } from '../../packages/core/src/network/connection.js';
import { FrameDecoder } from '../../packages/core/src/network/frame-decoder.js';
import {
  ApiVersions,
  ApiVersionsServer,
  apis,
  Metadata,
  MetadataServer,
} from '../../packages/core/src/protocol/messages/generated/index.js';
import type { ServerApiDefinition } from '../../packages/core/src/protocol/messages/server-api-definition.js';
import { Writer } from '../../packages/core/src/protocol/primitives/writer.js';
import { printTable, si } from '../records/measure.js';

const argv = process.argv.slice(2);
const option = (name: string, fallback: string) => {
  const at = argv.indexOf(`--${name}`);
  return at >= 0 ? argv[at + 1]! : fallback;
};
const ROUNDS = Number(option('rounds', '7'));
const COUNT = Number(option('requests', '50000'));
const BASELINE_REF = option('baseline', '85e9d75');
const HERE = dirname(fileURLToPath(import.meta.url));
const REPO = join(HERE, '..', '..');

/** A response frame for a request of `api` in `version`, its correlation id patched in per request. */
function responseTemplate(api: ServerApiDefinition, version: number, body: unknown): Buffer {
  const writer = new Writer(256, Number.POSITIVE_INFINITY);
  const size = writer.reserveInt32();
  writer.writeInt32(0);
  if (api.responseHeaderVersion(version) >= 1) writer.writeUnsignedVarint(0);
  api.encodeResponse(writer, version, body);
  writer.patchInt32(size, writer.length - 4);
  return writer.toBuffer();
}

/** An in-memory broker socket: answers ApiVersions and Metadata at once, from templates. */
class MemoryBroker extends Duplex {
  private readonly decoder = new FrameDecoder(1 << 20, (frame) => this.answer(frame));
  private readonly templates = new Map<string, Buffer>();

  constructor() {
    super();
    process.nextTick(() => this.emit('connect'));
  }

  setNoDelay(): this {
    return this;
  }

  setKeepAlive(): this {
    return this;
  }

  override _read(): void {}

  override _write(chunk: Buffer, _encoding: BufferEncoding, callback: (error?: Error | null) => void): void {
    this.decoder.push(chunk);
    callback();
  }

  private answer(frame: Buffer): void {
    const apiKey = frame.readInt16BE(0);
    const version = frame.readInt16BE(2);
    const correlationId = frame.readInt32BE(4);
    const key = `${apiKey}/${version}`;
    let template = this.templates.get(key);
    if (template === undefined) {
      template =
        apiKey === ApiVersions.apiKey
          ? responseTemplate(ApiVersionsServer as ServerApiDefinition, version, {
              errorCode: 0,
              apiKeys: apis.map((a) => ({
                apiKey: a.apiKey,
                minVersion: a.minVersion,
                maxVersion: a.maxStableVersion,
              })),
              throttleTimeMs: 0,
              supportedFeatures: [],
              finalizedFeaturesEpoch: -1n,
              finalizedFeatures: [],
              zkMigrationReady: false,
            })
          : responseTemplate(MetadataServer as ServerApiDefinition, version, {
              throttleTimeMs: 0,
              brokers: [{ nodeId: 1, host: '127.0.0.1', port: 9092, rack: null }],
              clusterId: 'memory',
              controllerId: 1,
              topics: [],
              clusterAuthorizedOperations: -2147483648,
              errorCode: 0,
            });
      this.templates.set(key, template);
    }
    const response = Buffer.from(template);
    response.writeInt32BE(correlationId, 4);
    this.push(response);
  }
}

type ConnectionClass = new (options: ConnectionOptions) => Pick<Connection, 'connect' | 'send' | 'close'>;

async function connected(Class: ConnectionClass) {
  const connection = new Class({
    host: '127.0.0.1',
    port: 9092,
    nodeId: 1,
    clientId: 'bench',
    connectTimeoutMs: 10_000,
    requestTimeoutMs: 30_000,
    maxInFlightRequests: 5,
    receiveMessageMaxBytes: 1 << 20,
    socketFactory: () => new MemoryBroker() as unknown as import('node:net').Socket,
  });
  await connection.connect();
  return connection;
}

const request = { topics: [], allowAutoTopicCreation: false, includeTopicAuthorizedOperations: false };

/**
 * CPU microseconds per request (user + system, `process.cpuUsage`): `count` requests, `parallel` at a time, after a
 * warm-up. CPU time rather than wall time, so that other work on a shared machine does not count.
 */
async function measure(Class: ConnectionClass, parallel: number): Promise<number> {
  const connection = await connected(Class);
  const run = async (count: number) => {
    let left = count;
    await Promise.all(
      Array.from({ length: parallel }, async () => {
        while (left-- > 0) await connection.send(Metadata, request);
      }),
    );
  };
  try {
    await run(COUNT / 5);
    const before = process.cpuUsage();
    await run(COUNT);
    const used = process.cpuUsage(before);
    return (used.user + used.system) / COUNT;
  } finally {
    connection.close();
  }
}

/** Nanoseconds per `hasSubscribers` read with no subscriber: a loop of reads, less the same loop empty. */
function guardCost(): number {
  const channel = diagnosticChannels.request;
  const cpu = (fn: () => number): number => {
    const before = process.cpuUsage();
    if (fn() !== 0) throw new Error('a subscriber appeared');
    const used = process.cpuUsage(before);
    return used.user + used.system;
  };
  const reads = () => {
    let hits = 0;
    for (let i = 0; i < 2e7; i++) if (channel.hasSubscribers) hits++;
    return hits;
  };
  const empty = () => {
    let hits = 0;
    for (let i = 0; i < 2e7; i++) if (i < 0) hits++;
    return hits;
  };
  cpu(reads);
  cpu(empty);
  let best = Number.POSITIVE_INFINITY;
  for (let i = 0; i < 5; i++) best = Math.min(best, ((cpu(reads) - cpu(empty)) * 1000) / 2e7);
  return Math.max(0, best);
}

async function main(): Promise<void> {
  // The baseline Connection, from git, beside the current one so that its relative imports resolve.
  const baselineFile = join(REPO, 'packages/core/src/network/connection.bench-baseline.ts');
  const source = execFileSync('git', ['show', `${BASELINE_REF}:packages/core/src/network/connection.ts`], {
    cwd: REPO,
    encoding: 'utf8',
  });
  writeFileSync(baselineFile, source);
  let Baseline: ConnectionClass;
  try {
    Baseline = (await import(baselineFile)).Connection as ConnectionClass;
  } finally {
    rmSync(baselineFile);
  }
  const guardNsBefore = guardCost(); // before any subscriber came and went
  let unsubscribe: (() => void) | undefined;
  const noop = () => undefined;
  const variants: Array<{ name: string; run: (parallel: number) => Promise<number> }> = [
    { name: 'baseline', run: (p) => measure(Baseline, p) },
    // The same code again: the spread between the two baselines is the noise floor of the run.
    { name: 'baseline again', run: (p) => measure(Baseline, p) },
    { name: 'no subscriber', run: (p) => measure(Connection, p) },
    {
      name: 'subscriber',
      run: async (p) => {
        unsubscribe = diagnosticChannels.request.subscribe({
          start: noop,
          end: noop,
          asyncStart: noop,
          asyncEnd: noop,
          error: noop,
        });
        try {
          return await measure(Connection, p);
        } finally {
          unsubscribe();
        }
      },
    },
  ];
  const chosen = option('variants', 'baseline,baseline again,no subscriber,subscriber').split(',');
  const run = variants.filter((v) => chosen.includes(v.name));
  const results: Record<string, Record<string, number[]>> = {};
  for (let round = 0; round < ROUNDS; round++) {
    for (let i = 0; i < run.length; i++) {
      const variant = run[(round + i) % run.length]!;
      for (const parallel of [1, 5]) {
        const micros = await variant.run(parallel);
        const byMode = results[variant.name] ?? {};
        results[variant.name] = byMode;
        const mode = `in flight ${parallel}`;
        byMode[mode] = [...(byMode[mode] ?? []), micros];
      }
    }
  }
  const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
  const rows = Object.entries(results).map(([name, byMode]) => {
    const row: Record<string, string> = { variant: name };
    for (const [mode, micros] of Object.entries(byMode)) {
      const ratio = median(results.baseline![mode]!) / median(micros);
      row[`${mode}: CPU us/request`] = median(micros).toFixed(2);
      row[`${mode}: requests per CPU s`] = si(1e6 / median(micros));
      row[`${mode}: rate vs baseline`] = ratio.toFixed(3);
    }
    return row;
  });
  const guardNsAfter = guardCost();
  printTable(
    `Connection.send round trips, in-memory broker, median of ${ROUNDS} rounds of ${COUNT} requests (Node ${process.version})`,
    rows,
  );
  console.log(
    `\nhasSubscribers read with no subscriber (CPU time of 2e7 reads less an empty loop): ${guardNsBefore.toFixed(2)} ns ` +
      `before any subscriber, ${guardNsAfter.toFixed(2)} ns once one has come and gone (Node swaps the channel's ` +
      'prototype on subscribe and unsubscribe)',
  );
  const out = join(HERE, '..', 'results', 'diagnostics');
  mkdirSync(out, { recursive: true });
  writeFileSync(
    join(out, `request-path-${chosen.includes('subscriber') ? 'all' : 'never-subscribed'}.json`),
    `${JSON.stringify(
      {
        node: process.version,
        date: new Date().toISOString(),
        baseline: BASELINE_REF,
        rounds: ROUNDS,
        requestsPerRound: COUNT,
        cpuMicrosecondsPerRequest: results,
        hasSubscribersNs: { beforeAnySubscriber: guardNsBefore, afterOneLeft: guardNsAfter },
      },
      null,
      2,
    )}\n`,
  );
}

await main();
