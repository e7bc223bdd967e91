import { DynamicModule, Module } from '@nestjs/common';
import { ClockActivities } from '../../../activities';
import { Policy, policyProvider } from '../../../libs/policy/src';

/** Activity classes get their dependencies (policy, delivery, ...) from Nest. */
@Module({})
export class WorkerModule {
  static register(options: { policy?: Policy } = {}): DynamicModule {
    return {
      module: WorkerModule,
      providers: [policyProvider(options.policy), ClockActivities],
    };
  }
}
