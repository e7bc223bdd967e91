import { Module } from '@nestjs/common';
import { AccountsModule } from '../accounts/accounts.module';
import {
  AccountHealthChecksController,
  HealthCheckSchedulesController,
  TaskFeedController,
  TasksController,
} from './health-checks.controller';
import { HealthChecksService } from './health-checks.service';

/** Health checks of an account, the TAM tasks they make, the task feed and the schedules behind them. */
@Module({
  imports: [AccountsModule],
  controllers: [AccountHealthChecksController, TaskFeedController, TasksController, HealthCheckSchedulesController],
  providers: [HealthChecksService],
})
export class HealthChecksModule {}
