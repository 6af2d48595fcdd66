import { Controller, Inject } from '@nestjs/common';
import { Ctx, EventPattern, type KafkaContext, MessagePattern, Payload, RpcException } from '@nestjs/microservices';
import { AUDIT, DIVIDE, SUM } from './topics.js';

/** An audit event, as the client emits it. */
export interface AuditEvent {
  readonly action: string;
  readonly user: string;
}

/** Where the server keeps the events it handled (the test reads them through the example's result). */
export const AUDIT_LOG = Symbol('AUDIT_LOG');

/** The events the server handled, with where each came from in Kafka. */
export type AuditLog = Array<
  AuditEvent & { readonly topic: string; readonly partition: number; readonly offset: string }
>;

/**
 * The microservice's handlers, plain NestJS: `@MessagePattern` answers requests (NestJS sends the return value to
 * the reply topic the request names), `@EventPattern` handles events. NestJS runs them on its Kafka transport,
 * which here runs on @vltava/kafkajs.
 */
@Controller()
export class MathController {
  constructor(@Inject(AUDIT_LOG) private readonly audit: AuditLog) {}

  @MessagePattern(SUM)
  sum(numbers: number[]): number {
    return numbers.reduce((total, n) => total + n, 0);
  }

  @MessagePattern(DIVIDE)
  divide({ dividend, divisor }: { dividend: number; divisor: number }): number {
    if (divisor === 0) throw new RpcException('division by zero');
    return dividend / divisor;
  }

  @EventPattern<string>(AUDIT)
  record(@Payload() event: AuditEvent, @Ctx() context: KafkaContext): void {
    // The Kafka context: the topic, partition and message the event came from.
    const message = context.getMessage();
    this.audit.push({ ...event, topic: context.getTopic(), partition: context.getPartition(), offset: message.offset });
  }
}
