/**
 * NestJS microservices over Kafka, unchanged, on Vltava: NestJS's Kafka transport (`@nestjs/microservices`) loads
 * the package `kafkajs`, which this workspace resolves to `@vltava/kafkajs` with a dependency alias in
 * `examples/package.json` (`"kafkajs": "file:../packages/kafkajs"`; in an application, `"kafkajs":
 * "npm:@vltava/kafkajs@<version>"`). Nothing else changes: the controller, the client and their options are
 * plain NestJS.
 *
 *   npx tsx --tsconfig examples/tsconfig.json --conditions=@vltava/source examples/src/nestjs/main.ts
 *
 * (`--tsconfig` for NestJS's decorators: examples/tsconfig.json sets `experimentalDecorators`.)
 *
 * The run starts the microservice (a `@MessagePattern` for sums and divisions, an `@EventPattern` for audit
 * events), then a second Nest application that calls it through `ClientKafka`: two requests answered, one
 * answered with the microservice's error, and three events delivered.
 */
import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { type MicroserviceOptions, Transport } from '@nestjs/microservices';
import { Kafka, logLevel } from 'kafkajs';
import { type Log, runExample } from '../support/run-example.js';
import { Calculator } from './calculator.js';
import type { AuditLog } from './math.controller.js';
import { GatewayModule, MathServiceModule } from './modules.js';
import { ALL_TOPICS, GROUP } from './topics.js';

/** What the run did. */
export interface NestExampleResult {
  readonly topics: readonly string[];
  readonly group: string;
  readonly sums: readonly number[];
  readonly quotient: number;
  readonly divisionError: string;
  readonly audit: AuditLog;
}

export async function main(bootstrap: string, log: Log): Promise<NestExampleResult> {
  const brokers = bootstrap.split(',');
  // The topics, created with the KafkaJS admin API (on Vltava too).
  const admin = new Kafka({ clientId: 'nest-example-setup', brokers, logLevel: logLevel.WARN }).admin();
  await admin.connect();
  await admin.createTopics({ topics: ALL_TOPICS.map((topic) => ({ topic, numPartitions: 2 })) });
  await admin.disconnect();
  log(`created ${ALL_TOPICS.length} topics`);

  // The microservice: NestJS's Kafka server consumes the pattern topics and answers on the reply topics.
  const audit: AuditLog = [];
  const server = await NestFactory.createMicroservice<MicroserviceOptions>(MathServiceModule.with(audit), {
    transport: Transport.KAFKA,
    options: { client: { clientId: 'math', brokers }, consumer: { groupId: GROUP } },
    logger: ['error', 'warn'],
  });
  await server.listen();
  log('microservice listening');

  // The caller: another Nest application with a ClientKafka.
  const gateway = await NestFactory.createApplicationContext(GatewayModule.forBrokers(brokers), {
    logger: ['error', 'warn'],
  });
  try {
    const calculator = gateway.get(Calculator);
    const sums = [await calculator.sum([1, 2, 3]), await calculator.sum([40, 2])];
    log(`sums: ${sums.join(', ')}`);
    const quotient = await calculator.divide(84, 2);
    log(`quotient: ${quotient}`);
    const divisionError = await calculator.divide(1, 0).then(
      () => 'no error',
      (error: unknown) => String((error as { message?: string })?.message ?? error),
    );
    log(`division by zero: ${divisionError}`);
    for (const [user, action] of [
      ['ada', 'login'],
      ['alan', 'login'],
      ['ada', 'logout'],
    ]) {
      await calculator.audit({ user: user!, action: action! });
    }
    const deadline = Date.now() + 30_000;
    while (audit.length < 3 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 20));
    for (const event of audit)
      log(`audit event ${event.user} ${event.action} (${event.topic}-${event.partition}@${event.offset})`);
    return { topics: ALL_TOPICS, group: GROUP, sums, quotient, divisionError, audit: [...audit] };
  } finally {
    await gateway.close();
    await server.close();
    log('closed');
  }
}

await runExample(import.meta.url, main);
