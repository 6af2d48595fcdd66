/**
 * The fault matrix: every misconfiguration a user can make that the client can see, against the harness's broker
 * (SASL, TLS and the StandardAuthorizer on), each asserting the typed error and an upper bound on the time to it.
 * Listener mismatches have their own suite (`../network/listener-mismatch.test.ts`); option checks theirs
 * (`../options/`); the Rx and stream adapters theirs (`packages/rx/test/faults.test.ts`,
 * `packages/streams/test/faults.test.ts`).
 */
import { fork } from 'node:child_process';
import { createServer, type Server, type Socket } from 'node:net';
import { fileURLToPath } from 'node:url';
import { kafkaBrokers, uniqueName } from '@vltava/kafka-harness/vitest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  Admin,
  CodecUnavailableError,
  Consumer,
  GroupAuthorizationFailedError,
  InvalidTopicError,
  KafkaTimeoutError,
  Producer,
  TopicAuthorizationFailedError,
  UnsupportedVersionError,
  unwrapResults,
} from '../../src/index.js';
import { apis } from '../../src/protocol/messages/generated/index.js';
import { FakeBroker } from '../support/fake-broker.js';
import { clock, onlyBob, recordingLogger, saslClient, superAdmin } from './fault-support.js';

const INVALID_NAMES = ['a b', '..', '.', 'a/b', 'x'.repeat(300), ''];

let admin: Admin;
/** A topic only bob may use. */
let deniedTopic: string;
/** A topic anyone may use (no ACL). */
let openTopic: string;
/** A group only bob may use. */
let deniedGroup: string;
const closers: Array<() => Promise<unknown>> = [];

beforeAll(async () => {
  admin = superAdmin();
  deniedTopic = uniqueName('fault-denied');
  openTopic = uniqueName('fault-open');
  deniedGroup = uniqueName('fault-denied-group');
  unwrapResults(
    await admin.createTopics(
      [
        { topic: deniedTopic, numPartitions: 2 },
        { topic: openTopic, numPartitions: 2 },
      ],
      { waitForMetadata: true },
    ),
  );
  await onlyBob(admin, 'topic', deniedTopic);
  await onlyBob(admin, 'group', deniedGroup);
});

afterAll(async () => {
  for (const close of closers.splice(0)) await close().catch(() => undefined);
  await admin.close();
});

function producer(options: ConstructorParameters<typeof Producer>[0]): Producer {
  const p = new Producer(options);
  closers.push(() => p.close({ timeoutMs: 5000 }));
  return p;
}

function consumer<K, V>(options: ConstructorParameters<typeof Consumer<K, V>>[0]): Consumer<K, V> {
  const c = new Consumer<K, V>(options);
  closers.push(() => c.close({ timeoutMs: 5000 }));
  return c;
}

describe('authorization', () => {
  it('a send to a topic the principal may not describe fails at once with TopicAuthorizationFailedError', async () => {
    const p = producer({ ...saslClient('alice'), maxBlockMs: 60_000 });
    const denied = await clock(p.send({ topic: deniedTopic, value: 'x' }));
    expect(denied.error).toBeInstanceOf(TopicAuthorizationFailedError);
    expect((denied.error as TopicAuthorizationFailedError).topic).toBe(deniedTopic);
    expect(denied.ms).toBeLessThan(5_000); // was maxBlockMs: 60 s
    // The producer goes on: the open topic takes records, and a second denied send fails as fast.
    const open = await p.send({ topic: openTopic, value: 'y' });
    expect(open.offset).toBeGreaterThanOrEqual(0n);
    const again = await clock(p.send({ topic: deniedTopic, value: 'z' }));
    expect(again.error).toBeInstanceOf(TopicAuthorizationFailedError);
    expect(again.ms).toBeLessThan(5_000);
  });

  it('a send succeeds once the ACL that denied it is gone (the denial is not remembered)', async () => {
    const topic = uniqueName('fault-regranted');
    unwrapResults(await admin.createTopics([{ topic, numPartitions: 1 }], { waitForMetadata: true }));
    await onlyBob(admin, 'topic', topic);
    const p = producer({ ...saslClient('alice'), maxBlockMs: 60_000 });
    await expect(p.send({ topic, value: 'denied' })).rejects.toBeInstanceOf(TopicAuthorizationFailedError);
    const [deleted] = await admin.deleteAcls([{ resourceType: 'topic', resourceName: topic }]);
    expect(deleted?.error).toBeUndefined();
    const deadline = Date.now() + 20_000;
    for (;;) {
      const result = await clock(p.send({ topic, value: 'allowed again' }));
      if (result.error === undefined) break;
      expect(result.error).toBeInstanceOf(TopicAuthorizationFailedError); // until the broker applies the deletion
      expect(Date.now()).toBeLessThan(deadline);
    }
  });

  it('partitionsFor a denied topic fails at once', async () => {
    const p = producer({ ...saslClient('alice'), maxBlockMs: 60_000 });
    const result = await clock(p.partitionsFor(deniedTopic));
    expect(result.error).toBeInstanceOf(TopicAuthorizationFailedError);
    expect(result.ms).toBeLessThan(5_000);
  });

  it('a consumer subscribed to a denied topic gets TopicAuthorizationFailedError from poll() and for await', async () => {
    const c = consumer({ ...saslClient('alice'), groupId: uniqueName('fault-group'), autoOffsetReset: 'earliest' });
    c.subscribe([deniedTopic]);
    const polled = await clock(async () => {
      for (;;) await c.poll({ timeoutMs: 500 }); // returns nothing forever without the fix
    });
    expect(polled.error).toBeInstanceOf(TopicAuthorizationFailedError);
    expect((polled.error as TopicAuthorizationFailedError).topic).toBe(deniedTopic);
    expect(polled.ms).toBeLessThan(10_000);

    const c2 = consumer({ ...saslClient('alice'), groupId: uniqueName('fault-group'), autoOffsetReset: 'earliest' });
    c2.subscribe([deniedTopic]);
    const iterated = await clock(async () => {
      for await (const _record of c2) expect.unreachable('a denied topic delivers nothing');
    });
    expect(iterated.error).toBeInstanceOf(TopicAuthorizationFailedError);
    expect(iterated.ms).toBeLessThan(10_000);
  });

  it('a consumer assigned a denied partition gets TopicAuthorizationFailedError from poll()', async () => {
    const c = consumer({ ...saslClient('alice'), autoOffsetReset: 'earliest' });
    c.assign([{ topic: deniedTopic, partition: 0 }]);
    const polled = await clock(async () => {
      for (;;) await c.poll({ timeoutMs: 500 });
    });
    expect(polled.error).toBeInstanceOf(TopicAuthorizationFailedError);
    expect(polled.ms).toBeLessThan(10_000);
  });

  it.each(['classic', 'consumer'] as const)(
    'a consumer in a denied group gets GroupAuthorizationFailedError from poll() (%s protocol)',
    async (groupProtocol) => {
      const logger = recordingLogger();
      const c = consumer({
        ...saslClient('alice'),
        logger,
        groupId: deniedGroup,
        groupProtocol,
        autoOffsetReset: 'earliest',
      });
      c.subscribe([openTopic]);
      const polled = await clock(async () => {
        for (;;) await c.poll({ timeoutMs: 500 });
      });
      expect(polled.error).toBeInstanceOf(GroupAuthorizationFailedError);
      expect((polled.error as GroupAuthorizationFailedError).groupId).toBe(deniedGroup);
      expect(polled.ms).toBeLessThan(10_000);
      // Raised, not retried in a loop of warnings (it was retried 22 times in 20 s).
      expect(logger.lines.filter((l) => l.level === 'warn')).toHaveLength(0);
    },
  );
});

describe('topic names', () => {
  it.each(INVALID_NAMES)('a send to %j fails at once with InvalidTopicError; its neighbours are sent', async (name) => {
    const p = producer({ brokers: kafkaBrokers(), logLevel: 'silent' });
    const [bad, good] = await Promise.allSettled([
      clock(p.send({ topic: name, value: 'x' }).then(() => undefined)),
      p.send({ topic: openTopic, value: 'neighbour' }),
    ]);
    const outcome = (bad as PromiseFulfilledResult<{ error?: unknown; ms: number }>).value;
    expect(outcome.error).toBeInstanceOf(InvalidTopicError);
    expect((outcome.error as InvalidTopicError).retriable).toBe(false);
    expect(outcome.ms).toBeLessThan(100); // no request: Kafka's rule checked locally
    expect(good.status).toBe('fulfilled');
  });

  it('subscribe, assign and admin calls refuse an invalid name before any request', async () => {
    const c = consumer({ brokers: kafkaBrokers(), groupId: uniqueName('fault-names'), logLevel: 'silent' });
    expect(() => c.subscribe(['a b'])).toThrow(InvalidTopicError);
    expect(() => c.assign([{ topic: '..', partition: 0 }])).toThrow(InvalidTopicError);
    const described = await clock(admin.describeTopics(['a/b']));
    expect(described.error).toBeInstanceOf(InvalidTopicError);
    const [created] = await admin.createTopics([{ topic: 'x'.repeat(250), numPartitions: 1 }]);
    expect(created?.error).toBeInstanceOf(InvalidTopicError);
  });
});

describe('a codec that cannot load', () => {
  it('fails each zstd send alone with CodecUnavailableError, at once, with no unhandled rejection', async () => {
    const topic = uniqueName('fault-codec');
    unwrapResults(await admin.createTopics([{ topic, numPartitions: 1 }], { waitForMetadata: true }));
    const child = fork(
      fileURLToPath(new URL('./fixtures/zstd-producer-child.ts', import.meta.url)),
      [kafkaBrokers().join(','), topic],
      {
        execArgv: [
          '--import',
          fileURLToPath(new URL('./fixtures/hide-zstd-napi.mjs', import.meta.url)),
          '--import',
          'tsx',
        ],
        stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
      },
    );
    type Outcome = { ok: boolean; name?: string; code?: string; message?: string; ms: number };
    const report = await new Promise<{
      zlibZstd: boolean;
      zstdSends: Outcome[];
      later: Outcome;
      plainSend: Outcome;
      connect: Outcome;
      flush: Outcome;
      unhandled: string[];
    }>((resolve, reject) => {
      child.once('message', resolve as (m: unknown) => void);
      child.once('exit', (code) => reject(new Error(`the child exited (${code}) without a report`)));
    });
    expect(report.unhandled).toEqual([]);
    expect(report.plainSend.ok).toBe(true);
    expect(report.flush.ok).toBe(true);
    if (report.zlibZstd) {
      // This Node.js line has zstd in node:zlib (22.15+): the producer uses it and every send succeeds.
      for (const send of [...report.zstdSends, report.later]) expect(send.ok).toBe(true);
      expect(report.connect.ok).toBe(true);
    } else {
      for (const send of [...report.zstdSends, report.later]) {
        expect(send).toMatchObject({ ok: false, name: CodecUnavailableError.name, code: 'ERR_CODEC_UNAVAILABLE' });
        expect(send.message).toContain('zstd-napi');
        expect(send.ms).toBeLessThan(2_000); // hung forever before
      }
      expect(report.connect).toMatchObject({ ok: false, name: CodecUnavailableError.name });
    }
  });
});

describe('a feature the broker lacks', () => {
  it("groupProtocol 'consumer' against a broker without ConsumerGroupHeartbeat fails poll() at once", async () => {
    const heartbeat = apis.find((api) => api.name === 'ConsumerGroupHeartbeat')!;
    // A broker of the 3.6 line: its ApiVersions lists no ConsumerGroupHeartbeat.
    const broker: FakeBroker = await FakeBroker.start((request) => {
      if (request.apiName === 'FindCoordinator') {
        const keys = (request.body as { coordinatorKeys: string[] }).coordinatorKeys;
        return {
          response: {
            throttleTimeMs: 0,
            // v4+: the answers are per key; the top-level fields keep their defaults.
            errorCode: 0,
            errorMessage: null,
            nodeId: 0,
            host: '',
            port: 0,
            coordinators: keys.map((key) => ({
              key,
              nodeId: 0,
              host: '127.0.0.1',
              port: broker.port,
              errorCode: 0,
              errorMessage: null,
            })),
          },
        };
      }
      if (request.apiName !== 'ApiVersions') return undefined;
      return {
        response: {
          errorCode: 0,
          apiKeys: apis
            .filter((api) => api.apiKey !== heartbeat.apiKey)
            .map((api) => ({ apiKey: api.apiKey, minVersion: api.minVersion, maxVersion: api.maxStableVersion })),
          throttleTimeMs: 0,
          supportedFeatures: [],
          finalizedFeaturesEpoch: -1n,
          finalizedFeatures: [],
          zkMigrationReady: false,
        },
      };
    });
    closers.push(() => broker.stop());
    const c = consumer({
      brokers: [`127.0.0.1:${broker.port}`],
      groupId: uniqueName('fault-kip848'),
      groupProtocol: 'consumer',
      logLevel: 'silent',
    });
    c.subscribe([openTopic]);
    const polled = await clock(async () => {
      for (;;) await c.poll({ timeoutMs: 500 });
    });
    expect(polled.error).toBeInstanceOf(UnsupportedVersionError);
    expect((polled.error as Error).message).toMatch(/KIP-848.*Kafka 4\.0/);
    expect(polled.ms).toBeLessThan(5_000); // 45 s of silence before
    expect(broker.requests.some((r) => r.apiName === 'ConsumerGroupHeartbeat')).toBe(false);
    expect(broker.failures).toEqual([]);
  });
});

describe('timeouts are deadlines', () => {
  /** A TCP server that accepts connections and never answers: every request and connection setup hangs. */
  let blackhole: Server;
  let blackholeAddress: string;
  const held: Socket[] = [];
  beforeAll(async () => {
    blackhole = createServer((socket) => held.push(socket));
    await new Promise<void>((resolve) => blackhole.listen(0, '127.0.0.1', resolve));
    blackholeAddress = `127.0.0.1:${(blackhole.address() as { port: number }).port}`;
  });
  afterAll(async () => {
    for (const socket of held) socket.destroy();
    await new Promise((resolve) => blackhole.close(resolve));
  });

  /** Within the timeout plus 10%, at most +250 ms, and not before it. */
  function withinDeadline(ms: number, timeoutMs: number): void {
    expect(ms).toBeGreaterThanOrEqual(timeoutMs - 20);
    expect(ms).toBeLessThanOrEqual(timeoutMs + Math.min(250, timeoutMs * 0.1));
  }

  it('an admin call settles within its timeoutMs while connection setup hangs', async () => {
    const a = new Admin({ brokers: [blackholeAddress], logLevel: 'silent', connectionTimeoutMs: 10_000 });
    closers.push(() => a.close());
    const result = await clock(a.listTopics({ timeoutMs: 2_000 }));
    expect(result.error).toBeInstanceOf(KafkaTimeoutError);
    withinDeadline(result.ms, 2_000);
  });

  it('a send settles within maxBlockMs while metadata hangs', async () => {
    const p = producer({ brokers: [blackholeAddress], logLevel: 'silent', maxBlockMs: 2_000 });
    const result = await clock(p.send({ topic: openTopic, value: 'x' }));
    expect(result.error).toBeInstanceOf(KafkaTimeoutError);
    withinDeadline(result.ms, 2_000);
  });

  it('consumer lookups retry until their timeoutMs, then fail with KafkaTimeoutError', async () => {
    // A port with nothing listening: every attempt is refused at once; the lookup must keep trying to the end.
    const probe = createServer();
    await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
    const refused = `127.0.0.1:${(probe.address() as { port: number }).port}`;
    await new Promise((resolve) => probe.close(resolve));
    const c = consumer({ brokers: [refused], logLevel: 'silent' });
    const ends = await clock(c.endOffsets([{ topic: openTopic, partition: 0 }], { timeoutMs: 2_000 }));
    expect(ends.error).toBeInstanceOf(KafkaTimeoutError);
    withinDeadline(ends.ms, 2_000);
    const hung = consumer({ brokers: [blackholeAddress], logLevel: 'silent' });
    const committed = await clock(hung.beginningOffsets([{ topic: openTopic, partition: 0 }], { timeoutMs: 1_500 }));
    expect(committed.error).toBeInstanceOf(KafkaTimeoutError);
    withinDeadline(committed.ms, 1_500);
  });
});

describe('an orderly close', () => {
  it('logs no warning', async () => {
    const topic = uniqueName('fault-close');
    unwrapResults(await admin.createTopics([{ topic, numPartitions: 2 }], { waitForMetadata: true }));
    const p = producer({ brokers: kafkaBrokers(), logLevel: 'silent' });
    await Promise.all([0, 1, 2, 3].map((i) => p.send({ topic, partition: i % 2, value: `v${i}` })));
    const logger = recordingLogger();
    const c = new Consumer({
      brokers: kafkaBrokers(),
      logger,
      groupId: uniqueName('fault-close'),
      autoOffsetReset: 'earliest',
    });
    c.subscribe([topic]);
    let read = 0;
    for await (const _record of c) if (++read === 4) break;
    // A fetch is in flight while closing (the fetcher keeps one per broker): its answer must not be a warning.
    await c.close();
    expect(logger.lines.filter((l) => l.level === 'warn' || l.level === 'error')).toEqual([]);
  });
});
