import { Controller, Get, Inject } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { DateTime } from 'luxon';
import { closedDays } from '../../../../libs/business-time/src';
import { POLICY, Policy } from '../../../../libs/policy/src';
import { Endpoint } from '../common/endpoint';
import { PlansSchema, SupportCentersSchema } from './policy.schemas';

@ApiTags('policy')
@Controller('v1')
export class PolicyController {
  constructor(@Inject(POLICY) private readonly policy: Policy) {}

  @Get('plans')
  @Endpoint({
    operationId: 'listPlans',
    temporal: false,
    summary: 'Plans in force: features, coverage and IHR targets per severity, with the policy version',
    responses: { 200: { description: 'The plans', schema: PlansSchema } },
  })
  plans() {
    const { plans } = this.policy.document;
    return {
      policyVersion: this.policy.version,
      plans: Object.entries(plans).map(([id, plan]) => ({ id, ...plan })),
    };
  }

  @Get('support-centers')
  @Endpoint({
    operationId: 'listSupportCenters',
    temporal: false,
    summary: 'Support centers: zone, weekly hours, holiday source and the closures of the next 12 months',
    responses: { 200: { description: 'The support centers', schema: SupportCentersSchema } },
  })
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
