/**
 * `npm start`: the Vltava demo. Starts a local Apache Kafka broker with the harness (or uses `KAFKA_BROKERS`),
 * creates two topics, and runs an Rx pipeline and a `for await` reader side by side while a load producer writes
 * orders, showing live records per second, consumer lag, end-to-end latency and progress. Ends after a fixed count
 * (or on Ctrl-C) with a summary, and stops the broker it started.
 *
 *   npm start                          200,000 records at 20,000/s
 *   npm start -- --count 50000 --rate 0    as fast as it goes
 *   npm start -- --forever             until Ctrl-C
 */
import { type KafkaCluster, startKafka } from '@vltava/kafka-harness';
import { runDemo } from './demo.js';
import { lineSink, summaryLines, terminalSink } from './render.js';

const USAGE = 'usage: npm start -- [--count N | --forever] [--rate RECORDS_PER_SECOND (0: unlimited)]';

interface Arguments {
  readonly count: number | undefined;
  readonly rate: number;
}

function parseArguments(argv: readonly string[]): Arguments {
  let count: number | undefined = 200_000;
  let rate = 20_000;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    const value = () => {
      const n = Number(argv[++i]);
      if (!Number.isSafeInteger(n) || n < 0) throw new Error(`${arg} needs a whole number\n${USAGE}`);
      return n;
    };
    if (arg === '--count') count = Math.max(1, value());
    else if (arg === '--rate') rate = value();
    else if (arg === '--forever') count = undefined;
    else if (arg === '--help' || arg === '-h') {
      console.log(USAGE);
      process.exit(0);
    } else throw new Error(`unknown argument ${arg}\n${USAGE}`);
  }
  return { count, rate };
}

async function main(): Promise<void> {
  const args = parseArguments(process.argv.slice(2));
  const interrupt = new AbortController();
  let interrupts = 0;
  const onSignal = () => {
    interrupts++;
    if (interrupts > 1) process.exit(130); // a second Ctrl-C: leave now
    interrupt.abort();
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);

  let cluster: KafkaCluster | undefined;
  let brokers = process.env.KAFKA_BROKERS ?? '';
  if (brokers === '') {
    console.log('Starting a local Apache Kafka broker with the harness (the first run downloads it)...');
    cluster = await startKafka({ nodes: 1 });
    brokers = cluster.bootstrap;
    console.log(
      `Kafka ${cluster.version} is up at ${brokers} (broker pid ${cluster.nodes.map((n) => n.pid).join(',')})`,
    );
  } else {
    console.log(`Using the cluster at ${brokers} (KAFKA_BROKERS)`);
  }
  try {
    if (interrupt.signal.aborted) return;
    const target = args.count === undefined ? 'until Ctrl-C' : `${args.count.toLocaleString('en-US')} records`;
    const pace = args.rate === 0 ? 'as fast as it goes' : `${args.rate.toLocaleString('en-US')} records/s`;
    console.log(
      `Orders -> Rx pipeline (fromConsumer, sendTo, commitOffsets) -> invoices -> for await: ${target}, ${pace}\n`,
    );
    const title = `Vltava demo · ${brokers}`;
    const sink = process.stdout.isTTY ? terminalSink(process.stdout, title) : lineSink(process.stdout);
    const summary = await runDemo({ brokers, count: args.count, rate: args.rate, signal: interrupt.signal, sink });
    console.log(`\n${summaryLines(summary).join('\n')}`);
  } finally {
    if (cluster !== undefined) {
      await cluster.stop();
      console.log('Broker stopped.');
    }
  }
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    if (process.stdout.isTTY) process.stdout.write('\x1b[?25h');
    console.error(error);
    process.exit(1);
  },
);
