import { Module } from '@nestjs/common';
import { AccountsModule } from '../accounts/accounts.module';
import { ObservabilityModule } from '../observability/observability.module';
import { IncidentsController } from './incidents.controller';
import { IncidentsService } from './incidents.service';

/** Incidents: intake, reads, and the commands on their SLA workflows. */
@Module({
  imports: [AccountsModule, ObservabilityModule],
  controllers: [IncidentsController],
  providers: [IncidentsService],
})
export class IncidentsModule {}
