/**
 * The broker every benchmark runs against: one node started by the harness, configured as a production broker for
 * its log rather than as the test suites' broker, with its data in memory.
 *
 * - `log.segment.bytes` is Kafka's default (1 GiB). The test suites' broker rolls a segment every MiB (small logs
 *   for many short-lived test topics); a benchmark writing gigabytes would then measure a segment roll (new log and
 *   index files, a flush of the old segment) every MiB: at 1 KiB records that cost the broker 3-4 times the CPU of
 *   the client and held every client to the same pace.
 * - The cluster's folder, log included, is on tmpfs (`/dev/shm`) when there is one: on this two-core machine the
 *   kernel's writeback of earlier runs' dirty pages otherwise competes with the client for the CPU, and made the
 *   later repetitions of a loop of runs up to 2.8 times slower than its first ones. `BENCH_LOG_DIR=disk` keeps it on
 *   disk (the OS temp folder); `BENCH_LOG_DIR=<folder>` puts it in that folder.
 * - `log.segment.delete.delay.ms` is 1 s (Kafka's default is 60 s), so that the topics the benchmarks delete leave
 *   memory soon. Until 2026-11-27 this set `file.delete.delay.ms`, the topic-level name, which a broker ignores: the
 *   deleted topics of the last minute then held up to several GiB of tmpfs, and from about 3 GiB on every client
 *   ran 30-50% slower (the kernel handing the broker fresh pages of this virtual machine's memory). The broker
 *   starts deleting 30 s after it starts (Kafka's fixed initial delay), so a run's first half minute still keeps
 *   its deleted topics.
 * - 1 GiB of heap from the start, as `kafka-server-start.sh` gives a broker (`-Xms1G -Xmx1G`). The harness's default
 *   initial heap (256 MiB, for the tests) made G1 start a concurrent marking cycle on nearly every large request once
 *   the log cleaner's 128 MiB buffer and the records in flight passed 35% of the heap: until 2026-11-27 that doubled
 *   or tripled the broker's CPU per run in some runs and not others (0.23-0.95 CPU s for the same 200,000 records).
 */
import { existsSync, mkdtempSync, statfsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type KafkaCluster, startKafka } from '../tools/kafka-harness/src/index.js';

/** Broker properties the benchmarks set over the harness's. */
export const BENCH_BROKER_PROPERTIES: Readonly<Record<string, string>> = {
  'log.segment.bytes': String(1024 ** 3),
  'log.segment.delete.delay.ms': '1000',
};

/** Heap of the benchmark broker, in MiB. */
export const BENCH_BROKER_HEAP_MB = 1024;

/** tmpfs space the in-memory log needs at least (a consumer backlog and a few undeleted produce runs). */
const MIN_TMPFS_BYTES = 4 * 1024 ** 3;

/** Where the benchmark broker's folder goes, and how to say so in a report. */
export function benchLogLocation(): { parent: string; description: string } {
  const choice = process.env.BENCH_LOG_DIR?.trim();
  if (choice === 'disk') return { parent: tmpdir(), description: `on disk (${tmpdir()})` };
  if (choice) return { parent: choice, description: `in ${choice}` };
  if (existsSync('/dev/shm')) {
    const fs = statfsSync('/dev/shm');
    if (fs.bavail * fs.bsize >= MIN_TMPFS_BYTES) return { parent: '/dev/shm', description: 'in memory (tmpfs)' };
  }
  return { parent: tmpdir(), description: `on disk (${tmpdir()}; no tmpfs with 4 GiB free)` };
}

/** One line for reports: the broker's settings that differ from the test suites' broker. */
export function benchBrokerDescription(): string {
  const props = Object.entries(BENCH_BROKER_PROPERTIES)
    .map(([key, value]) => `${key}=${value}`)
    .join(', ');
  return `${props}; ${BENCH_BROKER_HEAP_MB} MiB heap from the start; log ${benchLogLocation().description}`;
}

/** Starts the benchmark broker (stop it with `cluster.stop()`, which removes its folder). */
export function startBenchKafka(log?: (line: string) => void): Promise<KafkaCluster> {
  const directory = mkdtempSync(join(benchLogLocation().parent, 'vltava-bench-kafka-'));
  return startKafka({
    nodes: 1,
    directory,
    brokerProperties: BENCH_BROKER_PROPERTIES,
    heapMaxMb: BENCH_BROKER_HEAP_MB,
    heapMinMb: BENCH_BROKER_HEAP_MB,
    ...(log === undefined ? {} : { log }),
  });
}
