import { uniqueName } from '@vltava/kafka-harness/vitest';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { Consumer, type GroupProtocol } from '../../src/index.js';
import { waitFor } from './support/consumer-helpers.js';
import { spawnConsumerChild } from './support/spawn-consumer-child.js';
import { TestProducer } from './support/test-producer.js';

const brokers = inject('kafkaBootstrap');

const PARTITIONS = 6;
const TOTAL = 100_000;
const SESSION_TIMEOUT_MS = 6000;

interface Read {
  readonly member: string;
  readonly partition: number;
  readonly offset: number;
}

/**
 * Three consumers of a 6-partition topic of 100,000 records while members join, one leaves cleanly and one (a
 * child process) is killed with SIGKILL: every record is read at least once, the only duplicates are records the
 * killed member read after its last commit, each member reads each partition in order, and the group is stable
 * again within the session timeout plus 10 s after the kill.
 */
describe.each(['classic', 'consumer'] as const)(
  'a group of three under churn (%s protocol)',
  (groupProtocol: GroupProtocol) => {
    const producer = new TestProducer(brokers);
    afterAll(() => producer.close());

    it('reads every record at least once, duplicates only from the killed member, in order', async () => {
      const topic = uniqueName('churn');
      await producer.createTopic(topic, PARTITIONS);
      const perPartition = TOTAL / PARTITIONS;
      const writes: Promise<void>[] = [];
      for (let p = 0; p < PARTITIONS; p++) {
        writes.push(
          producer.sendMany(topic, p, Math.floor(perPartition) + (p < TOTAL % PARTITIONS ? 1 : 0), `p${p}`, 2000),
        );
      }
      await Promise.all(writes);
      const groupId = uniqueName('churn');
      if (groupProtocol === 'consumer') {
        await producer.alterGroupConfigs(groupId, {
          'consumer.session.timeout.ms': String(SESSION_TIMEOUT_MS),
          'consumer.heartbeat.interval.ms': '500',
        });
      }
      const options = {
        groupId,
        groupProtocol,
        autoOffsetReset: 'earliest' as const,
        autoCommitIntervalMs: 500,
        maxPollRecords: 200,
        ...(groupProtocol === 'classic' ? { sessionTimeoutMs: SESSION_TIMEOUT_MS, heartbeatIntervalMs: 500 } : {}),
      };

      const reads: Read[] = [];
      const distinct = new Set<string>();
      const record = (member: string, partition: number, offset: number) => {
        reads.push({ member, partition, offset });
        distinct.add(`${partition}:${offset}`);
      };

      // In-process members: poll, record, pace themselves.
      const running = new Map<string, { consumer: Consumer; stop: () => Promise<void> }>();
      const startMember = (name: string) => {
        const consumer = new Consumer({ brokers, logLevel: 'error', ...options });
        consumer.subscribe([topic]);
        let stopped = false;
        const loop = (async () => {
          while (!stopped) {
            for (const r of await consumer.poll({ timeoutMs: 200 })) record(name, r.partition, Number(r.offset));
            await new Promise((resolve) => setTimeout(resolve, 20)); // processing time
          }
        })();
        running.set(name, {
          consumer,
          stop: async () => {
            stopped = true;
            await loop;
            await consumer.close();
          },
        });
      };

      // The member that is killed runs in a child process.
      const child = spawnConsumerChild({ mode: 'member', brokers, topic, delayMs: 20, options });
      let childAssignment: number[] = [];
      child.process.on(
        'message',
        (message: { type: string; records?: Array<[number, string]>; partitions?: number[] }) => {
          if (message.type === 'records') for (const [p, o] of message.records!) record('killed', p, Number(o));
          if (message.type === 'assignment') childAssignment = message.partitions!;
        },
      );

      try {
        startMember('first');
        await waitFor(() => distinct.size >= 15_000, '15,000 records read', 60_000);
        startMember('joiner');
        await waitFor(() => distinct.size >= 35_000, '35,000 records read', 60_000);
        await running.get('first')!.stop(); // leaves cleanly
        running.delete('first');
        await waitFor(() => distinct.size >= 50_000 && childAssignment.length > 0, 'the child owns partitions', 60_000);

        child.process.kill('SIGKILL');
        await child.exited;
        const killedAt = Date.now();
        const killedOwned = [...childAssignment];
        // What the killed member had committed: nobody else can commit its partitions before its session expires.
        const probe = new Consumer({ brokers, groupId, logLevel: 'error' });
        const committedAtKill = new Map(
          (await probe.committed(Array.from({ length: PARTITIONS }, (_, partition) => ({ topic, partition })))).map(
            (c) => [c.partition, c.offset ?? 0n],
          ),
        );
        await probe.close();

        startMember('late');
        // Stable again: the live members own every partition between them, and read from the killed member's ones.
        await waitFor(
          () => {
            const owned = [...running.values()].flatMap((m) => m.consumer.assignment().map((tp) => tp.partition));
            return owned.length === PARTITIONS && new Set(owned).size === PARTITIONS;
          },
          'the live members own every partition',
          SESSION_TIMEOUT_MS + 10_000,
        );
        const stableAfterMs = Date.now() - killedAt;
        await waitFor(() => distinct.size === TOTAL, 'every record read', 90_000);
        console.log(
          `[${groupProtocol}] killed member owned ${killedOwned.join(',')}; group stable ${stableAfterMs} ms after the kill; ` +
            `${reads.length} reads for ${TOTAL} records`,
        );
        expect(stableAfterMs).toBeLessThanOrEqual(SESSION_TIMEOUT_MS + 10_000);

        // Every record read at least once.
        expect(distinct.size).toBe(TOTAL);
        // Each member read each partition in order, never the same record twice.
        const last = new Map<string, number>();
        for (const read of reads) {
          const key = `${read.member}/${read.partition}`;
          const previous = last.get(key) ?? -1;
          expect(read.offset, `${key} went from ${previous} to ${read.offset}`).toBeGreaterThan(previous);
          last.set(key, read.offset);
        }
        // Duplicates only from the killed member's uncommitted window.
        const readers = new Map<string, string[]>();
        for (const read of reads) {
          const key = `${read.partition}:${read.offset}`;
          const list = readers.get(key) ?? [];
          list.push(read.member);
          readers.set(key, list);
        }
        let duplicates = 0;
        for (const [key, members] of readers) {
          if (members.length === 1) continue;
          duplicates++;
          const [partition, offset] = key.split(':').map(Number) as [number, number];
          expect(members, `record ${key} read by ${members.join(', ')}`).toContain('killed');
          expect(members).toHaveLength(2);
          expect(BigInt(offset)).toBeGreaterThanOrEqual(committedAtKill.get(partition)!);
          expect(killedOwned).toContain(partition);
        }
        console.log(`[${groupProtocol}] ${duplicates} duplicates, all from the killed member's uncommitted window`);
      } finally {
        if (child.process.exitCode === null && child.process.signalCode === null) child.process.kill('SIGKILL');
        await Promise.all([...running.values()].map((m) => m.stop()));
      }
    });
  },
);
