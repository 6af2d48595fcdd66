/**
 * `npm start`: starts a local Apache Kafka broker with the harness (or uses `KAFKA_BROKERS`) and keeps it up until
 * Ctrl-C, printing how to reach it. The live demo (an Rx pipeline and a `for await` reader side by side) replaces
 * this once the producer and consumer land.
 */
import { startKafka } from '@vltava/kafka-harness';

async function main(): Promise<void> {
  const external = process.env.KAFKA_BROKERS;
  if (external !== undefined && external !== '') {
    console.log(`Using the cluster at ${external} (KAFKA_BROKERS). Nothing to start.`);
    return;
  }
  console.log('Starting a local Apache Kafka broker (the first run downloads it; later runs reuse the cache)...');
  const cluster = await startKafka({ nodes: 1 });
  console.log(`Kafka ${cluster.version} is up. Bootstrap servers: ${cluster.bootstrap}`);
  console.log(`Try: KAFKA_BROKERS=${cluster.bootstrap} npm test`);
  console.log('Press Ctrl-C to stop the broker.');
  let stopping = false;
  const stop = async () => {
    if (stopping) return;
    stopping = true;
    console.log('\nStopping the broker...');
    await cluster.stop();
    console.log('Stopped.');
    process.exit(0);
  };
  process.on('SIGINT', () => void stop());
  process.on('SIGTERM', () => void stop());
  if (process.env.VLTAVA_DEMO_EXIT_AFTER_START === '1') await stop();
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
