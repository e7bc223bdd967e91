import { DynamicModule, Module, Provider } from '@nestjs/common';
import { Client } from '@temporalio/client';
import { AccountTamDirectory, ClockActivities, HealthCheckActivities, NoTamDirectory, NotificationActivities, TAM_DIRECTORY } from '../../../activities';
import { Policy, policyProvider } from '../../../libs/policy/src';
import { temporalClientProvider } from '../../../libs/settings/src/nest';

/** Activity classes get their dependencies (policy, delivery, ...) from Nest. */
@Module({})
export class WorkerModule {
  /** `providers` are added last, so they can rebind tokens such as TAM_DIRECTORY or NOTIFICATION_LOG_SINK. */
  static register(options: { policy?: Policy; client?: Client; providers?: Provider[] } = {}): DynamicModule {
    return {
      module: WorkerModule,
      providers: [
        policyProvider(options.policy),
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
