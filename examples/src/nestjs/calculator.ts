import { Inject, Injectable, type OnModuleDestroy, type OnModuleInit } from '@nestjs/common';
import type { ClientKafka } from '@nestjs/microservices';
import { firstValueFrom, lastValueFrom } from 'rxjs';
import type { AuditEvent } from './math.controller.js';
import { AUDIT, DIVIDE, SUM } from './topics.js';

/** Injection token of the Kafka client. */
export const MATH_CLIENT = 'MATH_CLIENT';

/** The client side: a NestJS service calling the microservice through `ClientKafka`. */
@Injectable()
export class Calculator implements OnModuleInit, OnModuleDestroy {
  constructor(@Inject(MATH_CLIENT) private readonly client: ClientKafka) {}

  async onModuleInit(): Promise<void> {
    // Request/reply needs the client to consume the reply topics (`<pattern>.reply`).
    this.client.subscribeToResponseOf(SUM);
    this.client.subscribeToResponseOf(DIVIDE);
    await this.client.connect();
  }

  async onModuleDestroy(): Promise<void> {
    await this.client.close();
  }

  /** Asks the microservice for a sum and waits for the reply. */
  sum(numbers: number[]): Promise<number> {
    return firstValueFrom(this.client.send<number>(SUM, numbers));
  }

  /** Asks for a quotient; rejects with the microservice's error. */
  divide(dividend: number, divisor: number): Promise<number> {
    return firstValueFrom(this.client.send<number>(DIVIDE, { dividend, divisor }));
  }

  /** Emits an event: resolves once Kafka acknowledged it. */
  async audit(event: AuditEvent): Promise<void> {
    await lastValueFrom(this.client.emit(AUDIT, { key: event.user, value: event }));
  }
}
