import { DynamicModule, Module, Provider } from '@nestjs/common';
import { Client } from '@temporalio/client';
import {
  AccountTamDirectory,
  Channels,
  ClockActivities,
  HealthCheckActivities,
  NoTamDirectory,
  NotificationActivities,
  notificationProviders,
  NotificationSettings,
  TAM_DIRECTORY,
} from '../../../activities';
import { DirectorySource, peopleProvider } from '../../../libs/people/src';
import { Policy, policyProvider } from '../../../libs/policy/src';
import { temporalClientProvider } from '../../../libs/settings/src/nest';

export interface WorkerModuleOptions {
  policy?: Policy;
  client?: Client;
  /** The people directory (default: the file at PEOPLE_DIRECTORY_PATH, re-read on change). */
  people?: DirectorySource;
  /** SMTP, links and templates (default: from the environment). */
  notifications?: NotificationSettings;
  providers?: Provider[];
}

/** Activity classes get their dependencies (policy, people, channels, ...) from Nest. */
@Module({})
export class WorkerModule {
  /** `providers` are added last, so they can rebind tokens such as TAM_DIRECTORY or NOTIFICATION_LOG_SINK. */
  static register(options: WorkerModuleOptions = {}): DynamicModule {
    return {
      module: WorkerModule,
      providers: [
        policyProvider(options.policy),
        peopleProvider(options.people),
        ...notificationProviders(options.notifications),
        Channels,
        ClockActivities,
        NotificationActivities,
        HealthCheckActivities,
        // With a client, TAMs come from the account workflows; without one (unit tests), nobody has a TAM.
        ...(options.client
          ? [temporalClientProvider(options.client), { provide: TAM_DIRECTORY, useClass: AccountTamDirectory }]
          : [{ provide: TAM_DIRECTORY, useClass: NoTamDirectory }]),
        ...(options.providers ?? []),
      ],
    };
  }
}
