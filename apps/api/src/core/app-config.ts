import { Provider } from '@nestjs/common';
import { AppConfig, appConfig } from '../../../../libs/settings/src';
import type { ApiModuleOptions } from './api-options';

/**
 * Nest injection token of the API's configuration: the validated environment (`appConfig()`, parsed
 * once) with the `ApiModuleOptions` overrides applied. API code reads its settings here, never from
 * `process.env`, so a test that passes an override sees it everywhere the setting is used.
 */
export const APP_CONFIG = Symbol('APP_CONFIG');

/** Each override option and the variable it replaces. */
const OVERRIDES = {
  rateLimitPerMinute: 'API_RATE_LIMIT_PER_MINUTE',
  accountCacheMs: 'API_ACCOUNT_CACHE_MS',
  temporalTimeoutMs: 'API_TEMPORAL_TIMEOUT_MS',
  readyTimeoutMs: 'API_READY_TIMEOUT_MS',
} as const satisfies Partial<Record<keyof ApiModuleOptions, keyof AppConfig>>;

/** The configuration with the options that are given winning over the environment. */
export function apiConfig(options: Partial<ApiModuleOptions>, base: AppConfig): AppConfig {
  const config = { ...base };
  for (const [option, variable] of Object.entries(OVERRIDES) as Array<[keyof typeof OVERRIDES, keyof AppConfig]>) {
    const value = options[option];
    if (value !== undefined) Object.assign(config, { [variable]: value });
  }
  return Object.freeze(config);
}

/**
 * The provider: the environment is read when the module is built (not when this file is loaded), so an
 * entry point validates it first (`appConfigOrExit`) and tests set variables before creating the app.
 */
export function appConfigProvider(options: Partial<ApiModuleOptions>, base?: AppConfig): Provider {
  return { provide: APP_CONFIG, useFactory: (): AppConfig => apiConfig(options, base ?? appConfig()) };
}
