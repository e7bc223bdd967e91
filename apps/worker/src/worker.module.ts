import { DynamicModule, Module, Provider } from '@nestjs/common';
import { ClockActivities, NoTamDirectory, NotificationActivities, TAM_DIRECTORY } from '../../../activities';
import { Policy, policyProvider } from '../../../libs/policy/src';

/** Activity classes get their dependencies (policy, delivery, ...) from Nest. */
@Module({})
export class WorkerModule {
  /** `providers` are added last, so they can rebind tokens such as TAM_DIRECTORY or NOTIFICATION_LOG_SINK. */
  static register(options: { policy?: Policy; providers?: Provider[] } = {}): DynamicModule {
    return {
      module: WorkerModule,
      providers: [
        policyProvider(options.policy),
        ClockActivities,
        NotificationActivities,
        { provide: TAM_DIRECTORY, useClass: NoTamDirectory },
        ...(options.providers ?? []),
      ],
    };
  }
}
