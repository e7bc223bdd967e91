import { Module } from '@nestjs/common';
import { CalendarsController } from '../calendars/calendars.controller';
import { ObservabilityModule } from '../observability/observability.module';
import { PolicyController } from './policy.controller';

/** The policy in force and what-ifs on its support-center calendars (the policy itself comes from CoreModule). */
@Module({
  imports: [ObservabilityModule],
  controllers: [PolicyController, CalendarsController],
})
export class PolicyModule {}
