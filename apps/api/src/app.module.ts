import { DynamicModule, Module } from '@nestjs/common';
import { Client } from '@temporalio/client';
import { Policy, policyProvider } from '../../../libs/policy/src';
import { HealthController } from './health/health.controller';
import { IncidentsController } from './incidents/incidents.controller';
import { IncidentsService } from './incidents/incidents.service';
import { PolicyController } from './policy/policy.controller';
import { temporalClientProvider } from './temporal.providers';

export interface ApiModuleOptions {
  client: Client;
  policy?: Policy;
}

@Module({})
export class ApiModule {
  static register(options: ApiModuleOptions): DynamicModule {
    return {
      module: ApiModule,
      controllers: [HealthController, PolicyController, IncidentsController],
      providers: [
        temporalClientProvider(options.client),
        policyProvider(options.policy),
        IncidentsService,
      ],
    };
  }
}
