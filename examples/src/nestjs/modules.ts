import { type DynamicModule, Module } from '@nestjs/common';
import { ClientsModule, Transport } from '@nestjs/microservices';
import { Calculator, MATH_CLIENT } from './calculator.js';
import { AUDIT_LOG, type AuditLog, MathController } from './math.controller.js';
import { GROUP } from './topics.js';

/** The microservice's module: its controller and the audit log it writes to. */
@Module({})
// biome-ignore lint/complexity/noStaticOnlyClass: a NestJS dynamic module is a class with a static factory.
export class MathServiceModule {
  static with(audit: AuditLog): DynamicModule {
    return {
      module: MathServiceModule,
      controllers: [MathController],
      providers: [{ provide: AUDIT_LOG, useValue: audit }],
    };
  }
}

/** The caller's module: a Kafka client registered the usual NestJS way, and the service using it. */
@Module({})
// biome-ignore lint/complexity/noStaticOnlyClass: a NestJS dynamic module is a class with a static factory.
export class GatewayModule {
  static forBrokers(brokers: string[]): DynamicModule {
    return {
      module: GatewayModule,
      imports: [
        ClientsModule.register([
          {
            name: MATH_CLIENT,
            transport: Transport.KAFKA,
            options: { client: { clientId: 'gateway', brokers }, consumer: { groupId: GROUP } },
          },
        ]),
      ],
      providers: [Calculator],
      exports: [Calculator],
    };
  }
}
