// First: fixes the order of the OpenAPI components (see the file).
import './common/schema-order';
import { DynamicModule, Module } from '@nestjs/common';
import { APP_GUARD, APP_INTERCEPTOR } from '@nestjs/core';
import { CustomerActorsInterceptor } from './auth/customer-actors.interceptor';
import { AccountsModule } from './accounts/accounts.module';
import { AuthGuard } from './auth/auth.guard';
import { RolesGuard } from './auth/roles.guard';
import { TemporalDeadlineInterceptor } from './common/temporal-deadline.interceptor';
import { ApiModuleOptions } from './core/api-options';
import { CoreModule } from './core/core.module';
import { HealthModule } from './health/health.module';
import { HealthChecksModule } from './health-checks/health-checks.module';
import { IncidentsModule } from './incidents/incidents.module';
import { ObservabilityModule } from './observability/observability.module';
import { RateLimitGuard } from './observability/rate-limit.guard';
import { PolicyModule } from './policy/policy.module';
import { ReportsModule } from './reports/reports.module';

export type { ApiModuleOptions } from './core/api-options';

@Module({})
export class ApiModule {
  static register(options: ApiModuleOptions): DynamicModule {
    return {
      module: ApiModule,
      // In this order: the OpenAPI document lists the operations in the order of their modules.
      imports: [
        CoreModule.forRoot(options),
        HealthModule,
        ObservabilityModule,
        PolicyModule,
        AccountsModule,
        IncidentsModule,
        ReportsModule,
        HealthChecksModule,
      ],
      providers: [
        // Global guards run in the order they are registered, all here so the order is in one place:
        // who is calling (401), then their rate limit (429, counted even for a route their role may not
        // call, as before the guards were split), then whether their role may call the route (403).
        { provide: APP_GUARD, useClass: AuthGuard },
        { provide: APP_GUARD, useClass: RateLimitGuard },
        { provide: APP_GUARD, useClass: RolesGuard },
        { provide: APP_INTERCEPTOR, useClass: TemporalDeadlineInterceptor },
        { provide: APP_INTERCEPTOR, useClass: CustomerActorsInterceptor },
      ],
    };
  }
}
