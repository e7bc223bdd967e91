import { Controller, Get, Inject } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { DateTime } from 'luxon';
import { closedDays } from '../../../../libs/business-time/src';
import { POLICY, Policy } from '../../../../libs/policy/src';

@ApiTags('policy')
@ApiBearerAuth()
@Controller('v1')
export class PolicyController {
  constructor(@Inject(POLICY) private readonly policy: Policy) {}

  @Get('plans')
  @ApiOperation({ summary: 'Plans in force: features, coverage and IHR targets per severity, with the policy version' })
  plans() {
    const { plans } = this.policy.document;
    return {
      policyVersion: this.policy.version,
      plans: Object.entries(plans).map(([id, plan]) => ({ id, ...plan })),
    };
  }

  @Get('support-centers')
  @ApiOperation({ summary: 'Support centers: zone, weekly hours, holiday source and the closures of the next 12 months' })
  supportCenters() {
    const from = Date.now();
    const to = DateTime.fromMillis(from, { zone: 'UTC' }).plus({ months: 12 }).toMillis();
    return {
      policyVersion: this.policy.version,
      supportCenters: Object.entries(this.policy.document.supportCenters).map(([id, center]) => ({
        id,
        name: center.name,
        zone: center.calendar.zone,
        weekly: center.calendar.weekly ?? {},
        holidays: center.calendar.holidays ?? null,
        // Weekends are implied by `weekly`; list the days a weekday is closed (holidays, closures).
        closures: closedDays(this.policy.calendar(id), from, to).filter((day) => day.reason !== 'weekend'),
      })),
    };
  }
}
