// A share consumer in a child process, for tests that kill a member (kill -9) in the middle of its work. It
// reports over IPC: `ready` once it has an assignment, `records` with the offsets (and delivery counts) of every
// poll before it accepts them (implicit mode: the next poll accepts), `holding` when told to stop acknowledging.
import { ShareConsumer } from '../../../src/index.js';

interface ChildConfig {
  readonly brokers: string;
  readonly groupId: string;
  readonly topic: string;
  readonly maxPollRecords?: number;
  /** Stop after the first non-empty poll and hold its records (never acknowledge them). */
  readonly holdFirstBatch?: boolean;
}

const config = JSON.parse(process.argv[2] ?? '{}') as ChildConfig;
const send = (message: Record<string, unknown>) => process.send?.(message);

async function main(): Promise<void> {
  const consumer = new ShareConsumer({
    brokers: config.brokers,
    groupId: config.groupId,
    maxPollRecords: config.maxPollRecords ?? 500,
    logLevel: 'error',
  });
  consumer.subscribe(config.topic);
  let ready = false;
  for (;;) {
    const records = await consumer.poll({ timeoutMs: 200 });
    if (!ready && consumer.assignment().length > 0) {
      ready = true;
      send({ type: 'ready', memberId: consumer.memberId });
    }
    if (records.isEmpty) continue;
    const offsets: string[] = [];
    const counts: number[] = [];
    for (const r of records) {
      offsets.push(`${r.partition}:${r.offset}`);
      counts.push(r.deliveryCount);
    }
    send({ type: 'records', offsets, counts });
    if (config.holdFirstBatch === true) {
      send({ type: 'holding', count: offsets.length });
      await new Promise(() => undefined); // hold the locks until killed
    }
  }
}

main().catch((error: unknown) => {
  send({ type: 'error', message: String(error) });
  process.exit(1);
});
