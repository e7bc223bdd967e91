import { DynamicModule, MiddlewareConsumer, Module, NestModule } from '@nestjs/common';
import { APP_GUARD, APP_INTERCEPTOR } from '@nestjs/core';
import { Client } from '@temporalio/client';
import type { Logger } from 'pino';
import { AccountMemoCache, readAccountMemo } from '../../../libs/account-directory/src';
import { ApiKeyStore } from '../../../libs/auth/src';
import { DirectorySource, peopleProvider } from '../../../libs/people/src';
import { Policy, policyProvider } from '../../../libs/policy/src';
import { appConfig } from '../../../libs/settings/src';
import { AccountsController } from './accounts/accounts.controller';
import { AccountsService } from './accounts/accounts.service';
import { AccountAccess } from './auth/account-access';
import { AuthGuard, KEY_STORE, RATE_LIMITER } from './auth/auth.guard';
import { CalendarsController } from './calendars/calendars.controller';
import { TEMPORAL_TIMEOUT_MS, TemporalDeadlineInterceptor } from './common/temporal-deadline.interceptor';
import { READY_TIMEOUT_MS } from './health/health.controller';
import { HealthController } from './health/health.controller';
import { AccountHealthChecksController, HealthCheckSchedulesController, TaskFeedController, TasksController } from './health-checks/health-checks.controller';
import { HealthChecksService } from './health-checks/health-checks.service';
import { IncidentsController } from './incidents/incidents.controller';
import { IncidentsService } from './incidents/incidents.service';
import { ApiMetrics } from './observability/metrics';
import { MetricsController } from './observability/metrics.controller';
import { RateLimiter } from './observability/rate-limiter';
import { API_LOGGER, RequestLogMiddleware } from './observability/request-log.middleware';
import { PolicyController } from './policy/policy.controller';
import { ReportsController } from './reports/reports.controller';
import { TEMPORAL_CLIENT, temporalClientProvider } from './temporal.providers';

export interface ApiModuleOptions {
  client: Client;
  keys: ApiKeyStore;
  logger: Logger;
  policy?: Policy;
  /** The people directory (default: the file at PEOPLE_DIRECTORY_PATH, re-read on change). */
  people?: DirectorySource;
  /** Requests a minute per key (0: off); default `API_RATE_LIMIT_PER_MINUTE` or 600. */
  rateLimitPerMinute?: number;
  /** How long intake may use an account's memo before reading it again (0: always read); default `API_ACCOUNT_CACHE_MS` or 2000. */
  accountCacheMs?: number;
  /** Deadline of a request's Temporal calls; default `API_TEMPORAL_TIMEOUT_MS` or 5000. */
  temporalTimeoutMs?: number;
  /** How long `/health/ready` waits for Temporal; default `API_READY_TIMEOUT_MS` or 2000. */
  readyTimeoutMs?: number;
}

@Module({})
export class ApiModule implements NestModule {
  configure(consumer: MiddlewareConsumer): void {
    consumer.apply(RequestLogMiddleware).forRoutes('*');
  }

  static register(options: ApiModuleOptions): DynamicModule {
    return {
      module: ApiModule,
      controllers: [HealthController, MetricsController, PolicyController, CalendarsController, AccountsController, IncidentsController, ReportsController,
        AccountHealthChecksController, TaskFeedController, TasksController, HealthCheckSchedulesController],
      providers: [
        temporalClientProvider(options.client),
        policyProvider(options.policy),
        peopleProvider(options.people),
        { provide: KEY_STORE, useValue: options.keys },
        { provide: API_LOGGER, useValue: options.logger },
        { provide: RATE_LIMITER, useValue: new RateLimiter(options.rateLimitPerMinute ?? appConfig().API_RATE_LIMIT_PER_MINUTE) },
        ApiMetrics,
        { provide: APP_GUARD, useClass: AuthGuard },
        { provide: TEMPORAL_TIMEOUT_MS, useValue: options.temporalTimeoutMs ?? appConfig().API_TEMPORAL_TIMEOUT_MS },
        { provide: READY_TIMEOUT_MS, useValue: options.readyTimeoutMs ?? appConfig().API_READY_TIMEOUT_MS },
        { provide: APP_INTERCEPTOR, useClass: TemporalDeadlineInterceptor },
        {
          provide: AccountMemoCache,
          useFactory: (client: Client) => new AccountMemoCache((id) => readAccountMemo(client, id), options.accountCacheMs ?? appConfig().API_ACCOUNT_CACHE_MS),
          inject: [TEMPORAL_CLIENT],
        },
        AccountsService,
        AccountAccess,
        IncidentsService,
        HealthChecksService,
      ],
    };
  }
}
