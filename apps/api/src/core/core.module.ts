import { DynamicModule, Global, Module } from '@nestjs/common';
import { peopleProvider, PEOPLE } from '../../../../libs/people/src';
import { POLICY, policyProvider } from '../../../../libs/policy/src';
import { KEY_STORE } from '../auth/auth.guard';
import { API_LOGGER } from '../observability/request-log.middleware';
import { TEMPORAL_CLIENT, temporalClientProvider } from '../temporal.providers';
import type { ApiModuleOptions } from './api-options';
import { APP_CONFIG, appConfigProvider } from './app-config';

/**
 * What every feature module uses and the process provides once: the Temporal client, the policy, the API
 * keys, the people directory, the logger and the configuration. Global, so feature modules inject these
 * tokens without importing this module (there is one instance of each per application).
 */
@Global()
@Module({})
export class CoreModule {
  static forRoot(options: ApiModuleOptions): DynamicModule {
    return {
      module: CoreModule,
      providers: [
        temporalClientProvider(options.client),
        policyProvider(options.policy),
        peopleProvider(options.people),
        { provide: KEY_STORE, useValue: options.keys },
        { provide: API_LOGGER, useValue: options.logger },
        appConfigProvider(options),
      ],
      exports: [TEMPORAL_CLIENT, POLICY, PEOPLE, KEY_STORE, API_LOGGER, APP_CONFIG],
    };
  }
}
