import { DynamicModule, Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { Client } from '@temporalio/client';
import { ApiKeyStore } from '../../../libs/auth/src';
import { Policy, policyProvider } from '../../../libs/policy/src';
import { AccountsController } from './accounts/accounts.controller';
import { AccountsService } from './accounts/accounts.service';
import { AccountAccess } from './auth/account-access';
import { AuthGuard, KEY_STORE } from './auth/auth.guard';
import { CalendarsController } from './calendars/calendars.controller';
import { HealthController } from './health/health.controller';
import { AccountHealthChecksController, HealthCheckSchedulesController, TasksController } from './health-checks/health-checks.controller';
import { HealthChecksService } from './health-checks/health-checks.service';
import { IncidentsController } from './incidents/incidents.controller';
import { IncidentsService } from './incidents/incidents.service';
import { PolicyController } from './policy/policy.controller';
import { ReportsController } from './reports/reports.controller';
import { temporalClientProvider } from './temporal.providers';

export interface ApiModuleOptions {
  client: Client;
  keys: ApiKeyStore;
  policy?: Policy;
}

@Module({})
export class ApiModule {
  static register(options: ApiModuleOptions): DynamicModule {
    return {
      module: ApiModule,
      controllers: [HealthController, PolicyController, CalendarsController, AccountsController, IncidentsController, ReportsController,
        AccountHealthChecksController, TasksController, HealthCheckSchedulesController],
      providers: [
        temporalClientProvider(options.client),
        policyProvider(options.policy),
        { provide: KEY_STORE, useValue: options.keys },
        { provide: APP_GUARD, useClass: AuthGuard },
        AccountsService,
        AccountAccess,
        IncidentsService,
        HealthChecksService,
      ],
    };
  }
}
