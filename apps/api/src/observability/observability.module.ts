import { MiddlewareConsumer, Module, NestModule } from '@nestjs/common';
import { AppConfig } from '../../../../libs/settings/src';
import { APP_CONFIG } from '../core/app-config';
import { ApiMetrics } from './metrics';
import { MetricsController } from './metrics.controller';
import { RATE_LIMITER } from './rate-limit.guard';
import { RateLimiter } from './rate-limiter';
import { RequestLogMiddleware } from './request-log.middleware';

/**
 * Metrics (`/metrics`), the request log and the rate limiter. Exports the metrics (incidents count what
 * they open) and the limiter (a what-if weighs more than one request); ApiModule registers the guard
 * (RateLimitGuard), after the authentication it depends on.
 */
@Module({
  controllers: [MetricsController],
  providers: [
    ApiMetrics,
    {
      provide: RATE_LIMITER,
      inject: [APP_CONFIG],
      useFactory: (config: AppConfig) => new RateLimiter(config.API_RATE_LIMIT_PER_MINUTE),
    },
  ],
  exports: [ApiMetrics, RATE_LIMITER],
})
export class ObservabilityModule implements NestModule {
  configure(consumer: MiddlewareConsumer): void {
    consumer.apply(RequestLogMiddleware).forRoutes('*');
  }
}
