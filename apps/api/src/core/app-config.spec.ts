import 'reflect-metadata';
import { join } from 'node:path';
import { NestFactory } from '@nestjs/core';
import type { Client } from '@temporalio/client';
import { ApiKeyStore } from '../../../../libs/auth/src';
import { createLogger } from '../../../../libs/observability/src';
import type { DirectorySource } from '../../../../libs/people/src';
import { loadPolicy } from '../../../../libs/policy/src';
import { AppConfig, loadConfig } from '../../../../libs/settings/src';
import { ObservabilityModule } from '../observability/observability.module';
import { RATE_LIMITER } from '../observability/rate-limit.guard';
import { RateLimiter } from '../observability/rate-limiter';
import { ApiModuleOptions } from './api-options';
import { APP_CONFIG, apiConfig, appConfigProvider } from './app-config';
import { CoreModule } from './core.module';

const environment = loadConfig({ API_RATE_LIMIT_PER_MINUTE: '120', API_WORKER_WAIT_MS: '4000' });

describe('APP_CONFIG', () => {
  it('is the validated environment when no option overrides it', () => {
    expect(apiConfig({}, environment)).toEqual(environment);
    expect(apiConfig({}, environment).API_RATE_LIMIT_PER_MINUTE).toBe(120);
  });

  it('lets the ApiModuleOptions overrides win, and keeps every other variable', () => {
    const overrides = { rateLimitPerMinute: 0, accountCacheMs: 0, temporalTimeoutMs: 1500, readyTimeoutMs: 800 };
    const config = apiConfig(overrides, environment);
    expect(config).toMatchObject({
      API_RATE_LIMIT_PER_MINUTE: 0,
      API_ACCOUNT_CACHE_MS: 0,
      API_TEMPORAL_TIMEOUT_MS: 1500,
      API_READY_TIMEOUT_MS: 800,
      API_WORKER_WAIT_MS: 4000,
    });
    expect(environment.API_RATE_LIMIT_PER_MINUTE).toBe(120); // the environment's own copy is left alone
    expect(Object.isFrozen(config)).toBe(true);
  });

  it('reads the environment when the module is built, not when the file is loaded', () => {
    const provider = appConfigProvider({ temporalTimeoutMs: 900 }, environment) as { useFactory: () => AppConfig };
    expect(provider.useFactory().API_TEMPORAL_TIMEOUT_MS).toBe(900);
  });

  it('reaches the modules through Nest: the rate limiter is built from the overridden value', async () => {
    const options: ApiModuleOptions = {
      client: {} as Client,
      keys: new ApiKeyStore(join(__dirname, 'no-such-keys.json')),
      logger: createLogger('api', { level: 'silent' }),
      policy: loadPolicy(join(__dirname, '..', '..', '..', '..', 'config', 'sla-policy.yaml')),
      people: {} as DirectorySource,
      rateLimitPerMinute: 42,
    };
    const context = await NestFactory.createApplicationContext(
      { module: class Root {}, imports: [CoreModule.forRoot(options), ObservabilityModule] },
      { logger: false },
    );
    try {
      expect(context.get<AppConfig>(APP_CONFIG).API_RATE_LIMIT_PER_MINUTE).toBe(42);
      expect(context.get<RateLimiter>(RATE_LIMITER).perMinute).toBe(42);
    } finally {
      await context.close();
    }
  });
});
