import { Inject, Injectable } from '@nestjs/common';
import { DateTime } from 'luxon';
import { addBusinessTime, alwaysOpenCalendar, Calendar } from '../libs/business-time/src';
import { IhrClock, Severity } from '../libs/contracts/src/incident';
import { POLICY, Policy } from '../libs/policy/src';

export interface PlanIhrClockInput {
  planId: string;
  supportCenter: string;
  severity: Severity;
  enteredAt: string;
}

/** "IHR due Mon 10:00 Europe/Helsinki" */
export function dueLabel(dueMs: number, zone: string): string {
  return `IHR due ${DateTime.fromMillis(dueMs, { zone }).toFormat('ccc d LLL HH:mm')} ${zone}`;
}

/** Clock planning: the only place incident deadlines are computed (from libs/business-time). */
@Injectable()
export class ClockActivities {
  constructor(@Inject(POLICY) private readonly policy: Policy) {}

  private calendarFor(input: PlanIhrClockInput): Calendar {
    const coverage = this.policy.coverage(input.planId, input.severity);
    const centerCalendar = this.policy.calendar(input.supportCenter);
    return coverage === '24x7' ? alwaysOpenCalendar(centerCalendar.zone) : centerCalendar;
  }

  async planIhrClock(input: PlanIhrClockInput): Promise<IhrClock> {
    const calendar = this.calendarFor(input);
    const targetMs = this.policy.targetMs(input.planId, input.severity);
    const dueMs = addBusinessTime(calendar, Date.parse(input.enteredAt), targetMs);
    return {
      coverage: calendar.alwaysOpen ? '24x7' : 'business-hours',
      targetMs,
      dueAt: new Date(dueMs).toISOString(),
      dueLabel: dueLabel(dueMs, calendar.zone),
    };
  }
}
